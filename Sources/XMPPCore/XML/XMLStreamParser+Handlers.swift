import CExpat

extension XMLStreamParserStorage {
    /// Recovers the storage from expat's user-data pointer.
    private static func from(_ userData: UnsafeMutableRawPointer?) -> XMLStreamParserStorage {
        Unmanaged<XMLStreamParserStorage>.fromOpaque(userData!).takeUnretainedValue()
    }

    /// Registers the capture-free C callbacks: content handlers build elements, and every construct RFC 6120 §11.1
    /// forbids (DOCTYPE, entity declarations and references, comments, processing instructions) kills the stream.
    static func installHandlers(_ parser: XML_Parser) {
        XML_SetElementHandler(
            parser,
            { userData, name, attributes in
                guard let name else { return }
                XMLStreamParserStorage.from(userData).startElement(name, attributes)
            },
            { userData, _ in
                XMLStreamParserStorage.from(userData).endElement()
            })
        XML_SetCharacterDataHandler(parser) { userData, data, length in
            guard let data, length > 0 else { return }
            XMLStreamParserStorage.from(userData).characterData(data, count: Int(length))
        }
        XML_SetStartNamespaceDeclHandler(parser) { userData, prefix, uri in
            XMLStreamParserStorage.from(userData).startNamespace(prefix: prefix, uri: uri)
        }
        XML_SetStartDoctypeDeclHandler(parser) { userData, _, _, _, _ in
            XMLStreamParserStorage.from(userData).restricted("DOCTYPE declarations are not allowed")
        }
        XML_SetEntityDeclHandler(parser) { userData, _, _, _, _, _, _, _, _ in
            XMLStreamParserStorage.from(userData).restricted("entity declarations are not allowed")
        }
        XML_SetProcessingInstructionHandler(parser) { userData, _, _ in
            XMLStreamParserStorage.from(userData).restricted("processing instructions are not allowed")
        }
        XML_SetCommentHandler(parser) { userData, _ in
            XMLStreamParserStorage.from(userData).restricted("comments are not allowed")
        }
        XML_SetSkippedEntityHandler(parser) { userData, _, _ in
            XMLStreamParserStorage.from(userData).restricted("entity references are not allowed")
        }
        // Unreachable while DOCTYPEs are refused; returning failure makes expat report
        // XML_ERROR_EXTERNAL_ENTITY_HANDLING, which is classified as restricted XML.
        XML_SetExternalEntityRefHandler(parser) { _, _, _, _, _ in 0 }
    }

    /// Builds an element (without children) from an expat triplet name and attribute array (RFC 6120 §4.8).
    static func makeElement(
        _ rawName: UnsafePointer<CChar>, _ rawAttributes: UnsafeMutablePointer<UnsafePointer<CChar>?>?
    ) -> XMLElement {
        let (namespace, name) = Self.splitTriplet(rawName)
        var attributes: [String: String] = [:]
        if let rawAttributes {
            var index = 0
            while let key = rawAttributes[index], let value = rawAttributes[index + 1] {
                let (attributeNamespace, local) = Self.splitTriplet(key)
                let name: String
                switch attributeNamespace {
                case nil: name = local
                case XMLElement.xmlNamespace: name = "xml:" + local
                case let uri?: name = "{\(uri)}\(local)"
                }
                attributes[name] = String(cString: value)
                index += 2
            }
        }
        return XMLElement(name: name, namespace: namespace, attributes: attributes)
    }

    /// Splits `uri\u{1}local[\u{1}prefix]` into namespace and local name; a name without separator has no namespace.
    private static func splitTriplet(_ raw: UnsafePointer<CChar>) -> (namespace: String?, local: String) {
        let parts = String(cString: raw).split(separator: "\u{1}", omittingEmptySubsequences: false)
        guard parts.count >= 2 else { return (nil, String(parts.first ?? "")) }
        return (String(parts[0]), String(parts[1]))
    }
}
