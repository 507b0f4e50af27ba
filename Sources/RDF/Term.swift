/// An RDF 1.1 term (RDF 1.1 Concepts §3): an IRI, a blank node or a literal.
///
/// Equality is RDF term equality (same kind, same lexical form, datatype and language tag), which is what
/// joins and `sameTerm` use; value equality (`"1"^^xsd:integer = "01"^^xsd:integer`) is SPARQL's business.
public enum Term: Hashable, Sendable {
    /// An absolute IRI (RDF 1.1 Concepts §3.2), stored without angle brackets.
    case iri(String)
    /// A blank node (RDF 1.1 Concepts §3.4) with a label local to the document or store that created it.
    case blank(String)
    /// A literal (RDF 1.1 Concepts §3.3).
    case literal(Literal)
}

/// An RDF 1.1 literal (RDF 1.1 Concepts §3.3): lexical form, datatype IRI and, for `rdf:langString`, a language tag.
public struct Literal: Hashable, Sendable {
    /// The lexical form, unescaped.
    public var lexical: String
    /// The datatype IRI; `xsd:string` for simple literals and `rdf:langString` for language-tagged strings.
    public var datatype: String
    /// The language tag, lower-cased (RDF 1.1 Concepts §3.3 makes tags case-insensitive); nil unless `rdf:langString`.
    public var language: String?

    /// A typed literal; pass `XSD.string` (the default) for a simple literal.
    public init(_ lexical: String, datatype: String = XSD.string) {
        self.lexical = lexical
        self.datatype = datatype
        self.language = nil
    }

    /// A language-tagged string (`rdf:langString`); the tag is lower-cased.
    public init(_ lexical: String, language: String) {
        self.lexical = lexical
        self.datatype = RDFVocabulary.langString
        self.language = language.lowercased()
    }
}

extension Term {
    /// A simple literal (`xsd:string`).
    public static func string(_ value: String) -> Term { .literal(Literal(value)) }
    /// An `xsd:integer` literal.
    public static func integer(_ value: Int) -> Term { .literal(Literal(String(value), datatype: XSD.integer)) }
    /// An `xsd:boolean` literal in canonical form.
    public static func boolean(_ value: Bool) -> Term {
        .literal(Literal(value ? "true" : "false", datatype: XSD.boolean))
    }
}

/// XML Schema datatype IRIs (XSD 1.1 Part 2) used by RDF and SPARQL.
public enum XSD {
    /// The XSD namespace.
    public static let namespace = "http://www.w3.org/2001/XMLSchema#"
    /// `xsd:string`
    public static let string = namespace + "string"
    /// `xsd:boolean`
    public static let boolean = namespace + "boolean"
    /// `xsd:integer`
    public static let integer = namespace + "integer"
    /// `xsd:decimal`
    public static let decimal = namespace + "decimal"
    /// `xsd:double`
    public static let double = namespace + "double"
    /// `xsd:float`
    public static let float = namespace + "float"
    /// `xsd:dateTime`
    public static let dateTime = namespace + "dateTime"
    /// `xsd:date`
    public static let date = namespace + "date"
    /// `xsd:long`
    public static let long = namespace + "long"
    /// `xsd:int`
    public static let int = namespace + "int"
    /// `xsd:short`
    public static let short = namespace + "short"
    /// `xsd:byte`
    public static let byte = namespace + "byte"
    /// `xsd:nonNegativeInteger`
    public static let nonNegativeInteger = namespace + "nonNegativeInteger"
    /// `xsd:nonPositiveInteger`
    public static let nonPositiveInteger = namespace + "nonPositiveInteger"
    /// `xsd:positiveInteger`
    public static let positiveInteger = namespace + "positiveInteger"
    /// `xsd:negativeInteger`
    public static let negativeInteger = namespace + "negativeInteger"
    /// `xsd:unsignedLong`
    public static let unsignedLong = namespace + "unsignedLong"
    /// `xsd:unsignedInt`
    public static let unsignedInt = namespace + "unsignedInt"
    /// `xsd:unsignedShort`
    public static let unsignedShort = namespace + "unsignedShort"
    /// `xsd:unsignedByte`
    public static let unsignedByte = namespace + "unsignedByte"
    /// `xsd:dayTimeDuration`
    public static let dayTimeDuration = namespace + "dayTimeDuration"
    /// `xsd:duration`
    public static let duration = namespace + "duration"
}

/// RDF and RDFS vocabulary IRIs (RDF 1.1 Concepts §1.7, RDF Schema 1.1).
public enum RDFVocabulary {
    /// The RDF namespace.
    public static let namespace = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    /// `rdf:type`
    public static let type = namespace + "type"
    /// `rdf:first`
    public static let first = namespace + "first"
    /// `rdf:rest`
    public static let rest = namespace + "rest"
    /// `rdf:nil`
    public static let `nil` = namespace + "nil"
    /// `rdf:langString`
    public static let langString = namespace + "langString"
    /// The RDF Schema namespace.
    public static let rdfsNamespace = "http://www.w3.org/2000/01/rdf-schema#"
    /// `rdfs:subClassOf`
    public static let subClassOf = rdfsNamespace + "subClassOf"
    /// `rdfs:label`
    public static let label = rdfsNamespace + "label"
}
