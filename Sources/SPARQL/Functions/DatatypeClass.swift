import RDF

/// The datatypes the operators know, recognized from a datatype IRI without allocating: a hot path, since every
/// comparison, arithmetic operation and effective boolean value classifies its operands (SPARQL 1.1 §17.1).
enum DatatypeClass: Sendable, Equatable {
    /// `xsd:string` (and simple literals).
    case string
    /// `rdf:langString`.
    case langString
    /// `xsd:boolean`.
    case boolean
    /// `xsd:dateTime`.
    case dateTime
    /// `xsd:date`.
    case date
    /// `xsd:integer` and its derived types, `xsd:decimal`, `xsd:float`, `xsd:double`.
    case numeric(XSDNumericDatatype)
    /// Any other datatype (including other XSD types such as `xsd:time`).
    case other

    /// Classifies `datatype` by comparing its UTF-8 bytes with the known IRIs.
    init(_ datatype: String) {
        var iri = datatype
        if let known = iri.utf8.withContiguousStorageIfAvailable({ DatatypeClass.classify($0) }) {
            self = known
            return
        }
        iri.makeContiguousUTF8()
        self = iri.utf8.withContiguousStorageIfAvailable { DatatypeClass.classify($0) } ?? .other
    }

    private static let namespace = Array(XSD.namespace.utf8)
    private static let langStringIRI = Array(RDFVocabulary.langString.utf8)

    private static func integer(_ min: Int?, _ max: Int?) -> DatatypeClass { .numeric(.integer(min: min, max: max)) }

    /// XSD local names, most frequent first.
    private static let localNames: [([UInt8], DatatypeClass)] = {
        let names: [(String, DatatypeClass)] = [
            ("string", .string), ("integer", integer(nil, nil)), ("decimal", .numeric(.decimal)),
            ("double", .numeric(.double)), ("boolean", .boolean), ("dateTime", .dateTime), ("date", .date),
            ("float", .numeric(.float)), ("int", integer(Int(Int32.min), Int(Int32.max))),
            ("long", integer(.min, .max)),
            ("short", integer(Int(Int16.min), Int(Int16.max))), ("byte", integer(Int(Int8.min), Int(Int8.max))),
            ("nonNegativeInteger", integer(0, nil)), ("positiveInteger", integer(1, nil)),
            ("nonPositiveInteger", integer(nil, 0)), ("negativeInteger", integer(nil, -1)),
            ("unsignedLong", .numeric(.unsignedLong)), ("unsignedInt", integer(0, Int(UInt32.max))),
            ("unsignedShort", integer(0, Int(UInt16.max))), ("unsignedByte", integer(0, Int(UInt8.max))),
        ]
        return names.map { (Array($0.0.utf8), $0.1) }
    }()

    private static func classify(_ bytes: UnsafeBufferPointer<UInt8>) -> DatatypeClass {
        let prefix = self.namespace.count
        guard bytes.count > prefix else { return .other }
        for index in 0..<prefix where bytes[index] != self.namespace[index] {
            // Not in the XSD namespace.
            return bytes.elementsEqual(self.langStringIRI) ? .langString : .other
        }
        let localCount = bytes.count - prefix
        for (name, kind) in self.localNames where name.count == localCount {
            var equal = true
            for index in 0..<localCount where bytes[prefix + index] != name[index] {
                equal = false
                break
            }
            if equal { return kind }
        }
        return .other
    }
}

/// Access to the local name of IRIs in the XSD namespace (XSD 1.1 Part 2 §3).
enum XSDNames {
    /// The part after `http://www.w3.org/2001/XMLSchema#`, or nil if `iri` is not in the XSD namespace.
    static func localName(_ iri: String) -> Substring? {
        guard iri.utf8.count > XSD.namespace.utf8.count, iri.utf8.starts(with: XSD.namespace.utf8) else { return nil }
        return Substring(iri.utf8.dropFirst(XSD.namespace.utf8.count))
    }
}
