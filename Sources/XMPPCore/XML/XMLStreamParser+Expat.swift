import CExpat

/// The mutable state behind ``XMLStreamParser``: owns one expat parser and turns its callbacks into stream events
/// (RFC 6120 §4, §11).
///
/// Expat reaches it through the user-data pointer (unretained: the storage owns the parser and frees it in
/// `deinit`, so the parser never outlives it). The callbacks are capture-free C function pointers.
final class XMLStreamParserStorage {
    /// The expat parser; names arrive as `uri\u{1}local\u{1}prefix` triplets.
    private let parser: XML_Parser
    /// The size cap for first-level elements and the stream header, in bytes (RFC 6120 §4.9.3.14).
    var maxStanzaSize: Int
    /// Events completed during the current `parse` call.
    private var events: [XMLStreamEvent] = []
    /// The error that killed the parser, replayed by every later call.
    private var failure: XMLStreamError?
    /// Open elements below the stream header; index 0 is the first-level element being built.
    private var stack: [XMLElement] = []
    /// Number of open elements, the stream header included.
    private var depth = 0
    /// Character data not yet attached to the innermost element; kept as bytes so split characters are harmless.
    private var pendingText: [UInt8] = []
    /// The default namespace declared on the stream header, if any (RFC 6120 §4.8.2).
    private var headerDefaultNamespace: String?
    /// Byte index of the current first-level element's start tag.
    private var stanzaStart = 0
    /// Byte index where bytes not yet accounted for (not whitespace, not a finished element) begin.
    private var idleMark = 0
    /// Total bytes handed to expat in this document.
    private var consumed = 0

    init(maxStanzaSize: Int) {
        guard let parser = XML_ParserCreateNS("UTF-8", 0x01) else {
            fatalError("expat could not allocate a parser")
        }
        self.parser = parser
        self.maxStanzaSize = maxStanzaSize
        XML_SetReturnNSTriplet(parser, 1)
        _ = XML_SetParamEntityParsing(parser, XML_PARAM_ENTITY_PARSING_NEVER)
        // Expat >= 2.6 (and distributions' 2.5 backports) may defer re-parsing a partial token until the buffer has
        // doubled, which would hold back a complete stanza until more bytes arrive. Tokens here are capped at
        // `maxStanzaSize`, so the quadratic re-parse cost the deferral protects against is bounded anyway.
        _ = XML_SetReparseDeferralEnabled(parser, 0)
        XML_SetUserData(parser, Unmanaged.passUnretained(self).toOpaque())
        Self.installHandlers(parser)
    }

    deinit {
        XML_ParserFree(self.parser)
    }

    /// Parses one chunk and drains the events it completed.
    func parse(_ bytes: UnsafeRawBufferPointer) -> Result<[XMLStreamEvent], XMLStreamError> {
        if let failure = self.failure { return .failure(failure) }
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return .success([]) }
        var offset = 0
        while offset < bytes.count {
            let length = min(bytes.count - offset, 1 << 30)
            let pointer = (base + offset).assumingMemoryBound(to: CChar.self)
            if XML_Parse(self.parser, pointer, Int32(length), 0) == XML_STATUS_ERROR {
                return .failure(self.die(self.failure ?? self.expatError()))
            }
            offset += length
            self.consumed += length
        }
        let pending = self.consumed - (self.stack.isEmpty ? self.idleMark : self.stanzaStart)
        if pending > self.maxStanzaSize {
            return .failure(self.die(self.sizeError(pending, what: self.depth == 0 ? "stream header" : "stanza")))
        }
        defer { self.events.removeAll(keepingCapacity: true) }
        return .success(self.events)
    }

    // MARK: Callbacks

    /// Records the default namespace declared on the stream header (RFC 6120 §4.8.2); expat reports declarations
    /// before the start tag that carries them.
    func startNamespace(prefix: UnsafePointer<CChar>?, uri: UnsafePointer<CChar>?) {
        guard self.failure == nil, self.depth == 0, prefix == nil else { return }
        self.headerDefaultNamespace = uri.map { String(cString: $0) } ?? ""
    }

    /// A start tag: the stream header at depth 0 (RFC 6120 §4.7), otherwise part of a first-level element
    /// (RFC 6120 §4.1) whose size is checked as it grows.
    func startElement(_ name: UnsafePointer<CChar>, _ attributes: UnsafeMutablePointer<UnsafePointer<CChar>?>?) {
        guard self.failure == nil else { return }
        self.flushText()
        var element = Self.makeElement(name, attributes)
        if self.depth == 0 {
            let end = self.eventEnd
            guard end - self.idleMark <= self.maxStanzaSize else {
                return self.fail(self.sizeError(end - self.idleMark, what: "stream header"))
            }
            if let namespace = self.headerDefaultNamespace {
                element.attributes["xmlns"] = namespace
            }
            self.events.append(.streamOpen(element))
            self.idleMark = end
        } else {
            if self.depth == 1 {
                self.stanzaStart = Int(XML_GetCurrentByteIndex(self.parser))
            }
            guard self.checkStanzaSize() else { return }
            self.stack.append(element)
        }
        self.depth += 1
    }

    /// An end tag: completes a first-level element or closes the stream (RFC 6120 §4.4).
    func endElement() {
        guard self.failure == nil else { return }
        self.flushText()
        self.depth -= 1
        guard self.depth > 0 else {
            self.events.append(.streamClose)
            self.idleMark = self.eventEnd
            return
        }
        let element = self.stack.removeLast()
        if self.stack.isEmpty {
            guard self.checkStanzaSize() else { return }
            self.events.append(.element(element))
            self.idleMark = self.eventEnd
        } else {
            self.stack[self.stack.count - 1].append(element)
        }
    }

    /// Character data: buffered inside first-level elements, dropped between them (RFC 6120 §4.6.1).
    func characterData(_ data: UnsafePointer<CChar>, count: Int) {
        guard self.failure == nil else { return }
        if self.depth >= 2 {
            guard self.checkStanzaSize() else { return }
            data.withMemoryRebound(to: UInt8.self, capacity: count) { bytes in
                self.pendingText.append(contentsOf: UnsafeBufferPointer(start: bytes, count: count))
            }
        } else {
            // Whitespace keepalives between stanzas (RFC 6120 §4.6.1) are dropped and do not count towards the cap.
            self.idleMark = self.eventEnd
        }
    }

    /// Kills the parser from inside a callback with a restricted-XML error (RFC 6120 §11.1).
    func restricted(_ reason: String) {
        guard self.failure == nil else { return }
        self.fail(XMLStreamError(code: .restrictedXML, reason: reason))
    }

    // MARK: Helpers

    /// Byte index just past the event expat is reporting.
    private var eventEnd: Int {
        Int(XML_GetCurrentByteIndex(self.parser)) + Int(XML_GetCurrentByteCount(self.parser))
    }

    /// Checks the first-level element being built against the cap; kills the parser when exceeded.
    private func checkStanzaSize() -> Bool {
        let size = self.eventEnd - self.stanzaStart
        guard size > self.maxStanzaSize else { return true }
        self.fail(self.sizeError(size))
        return false
    }

    private func sizeError(_ size: Int, what: String = "stanza") -> XMLStreamError {
        XMLStreamError(
            code: .policyViolation, reason: "\(what) exceeds \(self.maxStanzaSize) bytes (at least \(size))")
    }

    private func fail(_ error: XMLStreamError) {
        self.failure = error
        XML_StopParser(self.parser, 0)
    }

    private func die(_ error: XMLStreamError) -> XMLStreamError {
        self.failure = error
        self.events.removeAll()
        self.stack.removeAll()
        self.pendingText.removeAll()
        return error
    }

    /// Classifies an expat error: entity trouble is restricted XML (RFC 6120 §11.1), the rest not well-formed
    /// (RFC 6120 §11.6).
    private func expatError() -> XMLStreamError {
        let code = XML_GetErrorCode(self.parser)
        let message = XML_ErrorString(code).map { String(cString: $0) } ?? "error \(code.rawValue)"
        let line = XML_GetCurrentLineNumber(self.parser)
        let column = XML_GetCurrentColumnNumber(self.parser)
        let reason = "\(message) at line \(line), column \(column)"
        switch code {
        case XML_ERROR_UNDEFINED_ENTITY, XML_ERROR_EXTERNAL_ENTITY_HANDLING, XML_ERROR_PARAM_ENTITY_REF,
            XML_ERROR_RECURSIVE_ENTITY_REF, XML_ERROR_ENTITY_DECLARED_IN_PE, XML_ERROR_BINARY_ENTITY_REF,
            XML_ERROR_ASYNC_ENTITY:
            return XMLStreamError(code: .restrictedXML, reason: reason)
        default:
            return XMLStreamError(code: .notWellFormed, reason: reason)
        }
    }

    /// Moves buffered character data into the innermost open element as one coalesced text node.
    private func flushText() {
        guard !self.pendingText.isEmpty else { return }
        let text = String(decoding: self.pendingText, as: UTF8.self)
        self.pendingText.removeAll(keepingCapacity: true)
        if !self.stack.isEmpty {
            self.stack[self.stack.count - 1].append(text: text)
        }
    }
}
