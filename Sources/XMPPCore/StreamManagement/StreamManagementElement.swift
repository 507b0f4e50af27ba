extension Namespace {
    /// Stream Management, version 3 (XEP-0198 §2).
    public static let streamManagement = "urn:xmpp:sm:3"
}

/// Why an element in the Stream Management namespace could not be read (XEP-0198 §2, §3, §4, §5).
///
/// Raised by ``StreamManagementElement/init(_:)``; the session maps it at the edge to a `<failed/>` reply for
/// requests that have one (`<enable/>`, `<resume/>`) or to a stream error for the ack elements, which have no
/// error reply of their own (XEP-0198 §4).
public struct StreamManagementError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A stable classification of the failure (XEP-0198 §2).
    public enum Code: String, Sendable {
        /// The element is in the `urn:xmpp:sm:3` namespace but is not one XEP-0198 §2 defines.
        case unknownElement = "unknown-element"
        /// A required attribute is absent, e.g. `h` on `<a/>` (XEP-0198 §4) or `previd` on `<resume/>` (§5).
        case missingAttribute = "missing-attribute"
        /// A sequence number is not an `xs:unsignedInt` between 0 and 2^32 − 1 (XEP-0198 §4, §5).
        case malformedHandledCount = "malformed-handled-count"
        /// Another attribute is not of its schema type, e.g. `resume` is not an `xs:boolean` or `max` is not a
        /// positive integer (XEP-0198 §3, §7 schema).
        case malformedAttribute = "malformed-attribute"
    }

    /// The classification (XEP-0198 §2).
    public var code: Code
    /// A human-readable explanation naming the element and attribute.
    public var reason: String

    /// Creates an error (XEP-0198 §2).
    public init(_ code: Code, reason: String) {
        self.code = code
        self.reason = reason
    }

    /// The stream error a server sends when the bad element has no `<failed/>` reply (XEP-0198 §4; RFC 6120
    /// §4.9.3.1 `bad-format`: XML that cannot be processed).
    public var streamError: StreamError {
        StreamError(.badFormat, text: self.reason)
    }

    /// `code: reason`, for logs.
    public var description: String { "\(self.code.rawValue): \(self.reason)" }
}

extension StreamError {
    /// The error XEP-0198 §4 prescribes when a peer acknowledges more stanzas than were sent:
    /// `undefined-condition` with the text `handled-count-too-high`.
    ///
    /// Pair it with ``StreamManagementElement/handledCountTooHigh(h:sendCount:)`` as the application-specific
    /// condition (XEP-0198 v1.6 §4) when building the element with ``makeElement(applicationCondition:)``.
    public static let handledCountTooHigh = StreamError(.undefinedCondition, text: "handled-count-too-high")

    /// The `<stream:error/>` element with an application-specific condition after the text (RFC 6120 §4.9.4),
    /// e.g. XEP-0198 §4's `<handled-count-too-high/>`. `nil` gives the plain ``makeElement()``.
    public func makeElement(applicationCondition: XMLElement?) -> XMLElement {
        var element = self.makeElement()
        if let applicationCondition {
            element.append(applicationCondition)
        }
        return element
    }
}

/// The top-level elements of Stream Management, read from and written to the wire (XEP-0198 §2–§5).
///
/// A typed mirror of the `urn:xmpp:sm:3` elements so the session logic never looks at attribute strings.
/// Sequence numbers are `UInt32` because XEP-0198 §4 counts modulo 2^32.
public enum StreamManagementElement: Sendable, Equatable {
    /// The `<sm/>` stream feature advertised after resource binding is possible (XEP-0198 §2).
    case streamFeature
    /// The client asks to enable the feature, optionally resumable with a preferred timeout in seconds (XEP-0198 §3).
    case enable(resume: Bool, max: Int?)
    /// The server enabled the feature; `id` is the resumption id when `resume` is true (XEP-0198 §3).
    case enabled(id: String?, resume: Bool, max: Int?)
    /// The client asks to resume the detached session `previd`, having handled `h` stanzas (XEP-0198 §5).
    case resume(previd: String, h: UInt32)
    /// The server resumed `previd`, having handled `h` stanzas from the client (XEP-0198 §5).
    case resumed(previd: String, h: UInt32)
    /// Enabling or resuming failed; the condition is a stanza error condition, `h` the server's inbound count when
    /// known (XEP-0198 §3, §5).
    case failed(condition: StanzaError.Condition?, h: UInt32?)
    /// An acknowledgement request (XEP-0198 §4).
    case r
    /// An acknowledgement: the sender has handled `h` stanzas, modulo 2^32 (XEP-0198 §4).
    case a(h: UInt32)
    /// The application-specific stream error condition for an ack beyond what was sent (XEP-0198 §4).
    case handledCountTooHigh(h: UInt32, sendCount: UInt32)

    /// Reads an element: `nil` when it is not in the `urn:xmpp:sm:3` namespace (so the caller can try other
    /// handlers), a thrown ``StreamManagementError`` when it is but breaks the XEP-0198 §7 schema.
    public init?(_ element: XMLElement) throws(StreamManagementError) {
        guard element.namespace == Namespace.streamManagement else { return nil }
        switch element.name {
        case "sm":
            self = .streamFeature
        case "enable":
            self = .enable(
                resume: try Self.boolean(element, "resume"), max: try Self.positiveInteger(element, "max"))
        case "enabled":
            self = .enabled(
                id: element[attribute: "id"], resume: try Self.boolean(element, "resume"),
                max: try Self.positiveInteger(element, "max"))
        case "resume":
            self = .resume(previd: try Self.required(element, "previd"), h: try Self.handledCount(element, "h"))
        case "resumed":
            self = .resumed(previd: try Self.required(element, "previd"), h: try Self.handledCount(element, "h"))
        case "failed":
            let condition = element.elements.lazy
                .filter { $0.namespace == Namespace.stanzaErrors }
                .compactMap { StanzaError.Condition(rawValue: $0.name) }
                .first
            let h = element[attribute: "h"] == nil ? nil : try Self.handledCount(element, "h")
            self = .failed(condition: condition, h: h)
        case "r":
            self = .r
        case "a":
            self = .a(h: try Self.handledCount(element, "h"))
        case "handled-count-too-high":
            self = .handledCountTooHigh(
                h: try Self.handledCount(element, "h"), sendCount: try Self.handledCount(element, "send-count"))
        default:
            throw StreamManagementError(.unknownElement, reason: "<\(element.name)/> is not a XEP-0198 element")
        }
    }

    /// The wire element, in the `urn:xmpp:sm:3` namespace (XEP-0198 §2–§5).
    public func makeElement() -> XMLElement {
        let namespace = Namespace.streamManagement
        switch self {
        case .streamFeature:
            return XMLElement(name: "sm", namespace: namespace)
        case .enable(let resume, let max):
            var element = XMLElement(name: "enable", namespace: namespace)
            element[attribute: "resume"] = resume ? "true" : nil
            element[attribute: "max"] = max.map(String.init)
            return element
        case .enabled(let id, let resume, let max):
            var element = XMLElement(name: "enabled", namespace: namespace)
            element[attribute: "id"] = id
            element[attribute: "resume"] = resume ? "true" : nil
            element[attribute: "max"] = max.map(String.init)
            return element
        case .resume(let previd, let h):
            return XMLElement(name: "resume", namespace: namespace, attributes: ["previd": previd, "h": String(h)])
        case .resumed(let previd, let h):
            return XMLElement(name: "resumed", namespace: namespace, attributes: ["previd": previd, "h": String(h)])
        case .failed(let condition, let h):
            var element = XMLElement(name: "failed", namespace: namespace)
            element[attribute: "h"] = h.map(String.init)
            if let condition {
                element.append(XMLElement(name: condition.rawValue, namespace: Namespace.stanzaErrors))
            }
            return element
        case .r:
            return XMLElement(name: "r", namespace: namespace)
        case .a(let h):
            return XMLElement(name: "a", namespace: namespace, attributes: ["h": String(h)])
        case .handledCountTooHigh(let h, let sendCount):
            return XMLElement(
                name: "handled-count-too-high", namespace: namespace,
                attributes: ["h": String(h), "send-count": String(sendCount)])
        }
    }

    private static func required(_ element: XMLElement, _ name: String) throws(StreamManagementError) -> String {
        guard let value = element[attribute: name], !value.isEmpty else {
            throw StreamManagementError(.missingAttribute, reason: "<\(element.name)/> lacks '\(name)'")
        }
        return value
    }

    /// An `xs:unsignedInt` sequence number (XEP-0198 §4: "an integer between 0 and 2^32 - 1").
    private static func handledCount(_ element: XMLElement, _ name: String) throws(StreamManagementError) -> UInt32 {
        guard let value = element[attribute: name] else {
            throw StreamManagementError(.missingAttribute, reason: "<\(element.name)/> lacks '\(name)'")
        }
        guard value.allSatisfy(\.isASCIIDigit), let number = UInt32(value) else {
            throw StreamManagementError(
                .malformedHandledCount, reason: "<\(element.name) \(name)='\(value)'/> is not a number below 2^32")
        }
        return number
    }

    /// An optional `xs:boolean`; absent means false (XEP-0198 §3).
    private static func boolean(_ element: XMLElement, _ name: String) throws(StreamManagementError) -> Bool {
        switch element[attribute: name] {
        case nil, "false", "0": return false
        case "true", "1": return true
        case let value?:
            throw StreamManagementError(
                .malformedAttribute, reason: "<\(element.name) \(name)='\(value)'/> is not a boolean")
        }
    }

    /// An optional `xs:positiveInteger`, e.g. the resumption timeout in seconds (XEP-0198 §3).
    private static func positiveInteger(_ element: XMLElement, _ name: String) throws(StreamManagementError) -> Int? {
        guard let value = element[attribute: name] else { return nil }
        guard value.allSatisfy(\.isASCIIDigit), let number = Int(value), number > 0 else {
            throw StreamManagementError(
                .malformedAttribute, reason: "<\(element.name) \(name)='\(value)'/> is not a positive integer")
        }
        return number
    }
}

extension Character {
    /// `0`–`9` only, unlike `isNumber`, which accepts other scripts' digits.
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
