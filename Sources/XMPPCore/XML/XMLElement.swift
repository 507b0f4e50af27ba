/// One node of an XML element's content: a child element or a run of character data.
///
/// XMPP streams carry only elements and text (RFC 6120 §11.1 forbids comments, processing instructions and
/// entity declarations), so these two cases are the whole content model.
public enum XMLNode: Sendable, Hashable {
    /// A child element (RFC 6120 §4.1).
    case element(XMLElement)
    /// Character data, already unescaped (RFC 6120 §11.1).
    case text(String)
}

/// A namespace-resolved XML element: the opaque carrier for stanzas and stream-level elements (RFC 6120 §4.1, §11).
///
/// Names are stored as local name plus resolved namespace URI, so prefixes chosen by the peer never matter
/// (RFC 6120 §4.8.5: "stream" prefix aside, namespaces are compared by URI). `xmlns` declarations are not
/// attributes here; the serializer re-creates them from `namespace`.
public struct XMLElement: Sendable, Hashable {
    /// The XML namespace URI, bound to the `xml` prefix by definition (XML Namespaces §3).
    public static let xmlNamespace = "http://www.w3.org/XML/1998/namespace"

    /// The local name, without prefix (RFC 6120 §4.8).
    public var name: String
    /// The resolved namespace URI; `nil` means the element is in no namespace (RFC 6120 §4.8.2).
    public var namespace: String?
    /// Attributes keyed by local name.
    ///
    /// Attributes in the XML namespace use `"xml:local"` (for example `"xml:lang"`, RFC 6120 §4.7.4); attributes in
    /// any other namespace use Clark notation `"{uri}local"`. Namespace declarations are never stored, except that
    /// a parsed stream header carries its default content namespace under `"xmlns"` (RFC 6120 §4.8.2).
    public var attributes: [String: String]
    /// Child elements and text, in document order (RFC 6120 §4.1).
    public var children: [XMLNode]

    /// Creates an element (RFC 6120 §4.1).
    public init(
        name: String, namespace: String? = nil, attributes: [String: String] = [:], children: [XMLNode] = []
    ) {
        self.name = name
        self.namespace = namespace
        self.attributes = attributes
        self.children = children
    }

    /// Reads or writes an attribute; assigning `nil` removes it (RFC 6120 §8.1 stanza attributes).
    public subscript(attribute name: String) -> String? {
        get { self.attributes[name] }
        set { self.attributes[name] = newValue }
    }

    /// The child elements, skipping text (RFC 6120 §8.2: stanza payloads are child elements).
    public var elements: [XMLElement] {
        self.children.compactMap { node in
            if case .element(let element) = node { return element }
            return nil
        }
    }

    /// The first child element with the given local name, and namespace unless `namespace` is `nil`
    /// (RFC 6120 §8.4: payloads are identified by qualified name).
    public func child(named name: String, namespace: String? = nil) -> XMLElement? {
        for case .element(let element) in self.children
        where element.name == name && (namespace == nil || element.namespace == namespace) {
            return element
        }
        return nil
    }

    /// All child elements with the given local name, and namespace unless `namespace` is `nil` (RFC 6120 §8.4).
    public func children(named name: String, namespace: String? = nil) -> [XMLElement] {
        self.elements.filter { $0.name == name && (namespace == nil || $0.namespace == namespace) }
    }

    /// The concatenation of the direct text children, e.g. a `<body/>`'s content (RFC 6121 §5.2.3).
    public var text: String {
        var result = ""
        for case .text(let text) in self.children {
            result += text
        }
        return result
    }

    /// Appends a child element (RFC 6120 §4.1).
    public mutating func append(_ child: XMLElement) {
        self.children.append(.element(child))
    }

    /// Appends character data, merging with a preceding text node so the tree matches what the parser builds
    /// (RFC 6120 §11.1).
    public mutating func append(text: String) {
        guard !text.isEmpty else { return }
        if case .text(let previous) = self.children.last {
            self.children[self.children.count - 1] = .text(previous + text)
        } else {
            self.children.append(.text(text))
        }
    }

    /// Serializes the element; emits `xmlns='…'` only when the element's namespace differs from `parentNamespace`.
    ///
    /// Stanzas written into a `jabber:client` stream pass that namespace so they need no declaration
    /// (RFC 6120 §4.8.3). An element in no namespace under a namespaced parent gets `xmlns=''`.
    public func serialized(parentNamespace: String? = nil) -> String {
        var output = ""
        self.serialize(into: &output, parentNamespace: parentNamespace)
        return output
    }

    /// Appends the serialized element to `output` (RFC 6120 §11: one element, UTF-8, no XML declaration).
    ///
    /// Values are quoted with `'`; text escapes `& < >` and attribute values also `' "`. Attributes are written in
    /// sorted key order so output is deterministic. `"{uri}local"` attributes get generated `nsN` prefixes declared
    /// on this element.
    public func serialize(into output: inout String, parentNamespace: String?) {
        output += "<"
        output += self.name
        if self.namespace != parentNamespace {
            output += " xmlns='"
            XMLEscaping.appendAttribute(self.namespace ?? "", to: &output)
            output += "'"
        }
        // Attributes in namespaces other than `xml` need a prefix; declare them all first (sorted, deterministic).
        var prefixes: [String: String] = [:]
        let keys = self.attributes.keys.filter { $0 != "xmlns" && !$0.hasPrefix("xmlns:") }.sorted()
        for key in keys {
            guard let (uri, _) = XMLEscaping.splitClarkName(key), uri != Self.xmlNamespace, prefixes[uri] == nil
            else { continue }
            let prefix = "ns\(prefixes.count + 1)"
            prefixes[uri] = prefix
            output += " xmlns:\(prefix)='"
            XMLEscaping.appendAttribute(uri, to: &output)
            output += "'"
        }
        for key in keys {
            output += " "
            if let (uri, local) = XMLEscaping.splitClarkName(key) {
                output += uri == Self.xmlNamespace ? "xml" : prefixes[uri] ?? ""
                output += ":"
                output += local
            } else {
                output += key
            }
            output += "='"
            XMLEscaping.appendAttribute(self.attributes[key] ?? "", to: &output)
            output += "'"
        }
        guard !self.children.isEmpty else {
            output += "/>"
            return
        }
        output += ">"
        for child in self.children {
            switch child {
            case .element(let element):
                element.serialize(into: &output, parentNamespace: self.namespace)
            case .text(let text):
                XMLEscaping.appendText(text, to: &output)
            }
        }
        output += "</"
        output += self.name
        output += ">"
    }
}

extension XMLElement: CustomStringConvertible {
    /// The serialized form, for logs and test failures (RFC 6120 §11).
    public var description: String { self.serialized() }
}
