import CExpat

/// What the stream parser recognised in the bytes fed so far (RFC 6120 §4.2, §4.4, §4.8).
public enum XMLStreamEvent: Sendable, Equatable {
    /// The opening stream header (RFC 6120 §4.7).
    ///
    /// Carries whatever root element arrived, with its attributes (`to`, `from`, `version`, `id`, `xml:lang`) and,
    /// under `"xmlns"`, the default namespace declared on it (e.g. `jabber:client`). It has no children. The caller
    /// checks name and namespace and answers `invalid-namespace` itself (RFC 6120 §4.8.1, §4.9.3.10).
    case streamOpen(XMLElement)
    /// One complete first-level element: a stanza or a negotiation element such as `<starttls/>` (RFC 6120 §4.1).
    case element(XMLElement)
    /// The closing `</stream:stream>` tag (RFC 6120 §4.4).
    case streamClose
}

/// A failure of the XML stream, already classified as the stream error to send (RFC 6120 §4.9.3, §11).
public struct XMLStreamError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The stream error condition the failure maps to (RFC 6120 §4.9.3).
    public enum Code: String, Sendable {
        /// The bytes are not well-formed XML or not valid UTF-8 (RFC 6120 §4.9.3.13, §11.6).
        case notWellFormed = "not-well-formed"
        /// A DOCTYPE, entity, comment or processing instruction arrived (RFC 6120 §4.9.3.18, §11.1).
        case restrictedXML = "restricted-xml"
        /// A first-level element or the stream header exceeded the size limit (RFC 6120 §4.9.3.14).
        case policyViolation = "policy-violation"
        /// The XML is well-formed but not acceptable (RFC 6120 §4.9.3.11).
        case invalidXML = "invalid-xml"
    }

    /// The condition (RFC 6120 §4.9.3).
    public var code: Code
    /// A human-readable explanation, suitable for the stream error's `<text/>` (RFC 6120 §4.9.2).
    public var reason: String

    /// Creates an error (RFC 6120 §4.9.3).
    public init(code: Code, reason: String) {
        self.code = code
        self.reason = reason
    }

    /// `code: reason`, for logs.
    public var description: String { "\(self.code.rawValue): \(self.reason)" }
}

/// An incremental, namespace-aware parser for one XMPP stream over expat (RFC 6120 §4, §11).
///
/// Feed it bytes as they arrive from the transport; each call returns the events completed by those bytes, in
/// order, no matter how the input was split. First-level elements and the stream header are capped at
/// `maxStanzaSize` bytes (measured from the start tag, whitespace between stanzas excluded) so a peer cannot make
/// the server buffer without bound. After any error the parser is dead: every later `feed` throws the same error.
///
/// The parser is a value-typed facade over a class that owns the expat parser; copies share that state, so keep
/// one parser per stream. It is not `Sendable`: confine it to the connection's event loop.
public struct XMLStreamParser {
    private var storage: XMLStreamParserStorage

    /// Creates a parser for a new stream (RFC 6120 §4.2). `maxStanzaSize` is in bytes.
    public init(maxStanzaSize: Int = 16 * 1024) {
        self.storage = XMLStreamParserStorage(maxStanzaSize: maxStanzaSize)
    }

    /// The largest first-level element or stream header accepted, in bytes (RFC 6120 §4.9.3.14, §13.12 item 4).
    public var maxStanzaSize: Int {
        get { self.storage.maxStanzaSize }
        set { self.storage.maxStanzaSize = newValue }
    }

    /// Feeds bytes; returns all events completed by these bytes, in order (RFC 6120 §4.2).
    ///
    /// After an error the parser is dead (further feeds throw the same error). Events completed earlier in the same
    /// chunk as the error are discarded: the stream is being closed with a stream error anyway (RFC 6120 §4.9.1.1).
    public mutating func feed(_ bytes: UnsafeRawBufferPointer) throws(XMLStreamError) -> [XMLStreamEvent] {
        try self.storage.parse(bytes).get()
    }

    /// Feeds bytes; see ``feed(_:)-(UnsafeRawBufferPointer)`` (RFC 6120 §4.2).
    public mutating func feed(_ bytes: [UInt8]) throws(XMLStreamError) -> [XMLStreamEvent] {
        let storage = self.storage
        return try bytes.withUnsafeBytes { storage.parse($0) }.get()
    }

    /// Feeds the UTF-8 encoding of `string` (RFC 6120 §11.6); convenient in tests.
    public mutating func feed(_ string: String) throws(XMLStreamError) -> [XMLStreamEvent] {
        var string = string
        let storage = self.storage
        return try string.withUTF8 { storage.parse(UnsafeRawBufferPointer($0)) }.get()
    }

    /// Starts a fresh document with a new expat parser, keeping `maxStanzaSize`.
    ///
    /// Used for the stream restart after STARTTLS and SASL (RFC 6120 §4.3.3, §5.4.3.3, §6.4.6). A dead parser
    /// becomes usable again.
    public mutating func reset() {
        self.storage = XMLStreamParserStorage(maxStanzaSize: self.storage.maxStanzaSize)
    }
}
