import Foundation
import RDF

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// A small RDF/XML reader (RDF 1.1 XML Syntax) covering what the W3C SPARQL test data uses: node elements with
/// rdf:about / rdf:nodeID / typed nodes, property elements with rdf:resource, rdf:nodeID, rdf:datatype, xml:lang,
/// rdf:parseType="Resource" and nested node elements.
final class RDFXMLReader: NSObject, XMLParserDelegate {
    private static let rdf = RDFVocabulary.namespace
    private let base: String
    private var triples: [Triple] = []
    private var blankCounter = 0
    private let prefix: String

    /// The element stack: node frames carry a subject, property frames a predicate and pending literal text.
    private enum Frame {
        case node(Term)
        case property(
            subject: Term, predicate: String, datatype: String?, language: String?, text: String,
            hasObject: Bool)
        case root
    }
    private var stack: [Frame] = []
    private var languages: [String?] = []

    init(base: String, blankPrefix: String) {
        self.base = base
        self.prefix = blankPrefix
    }

    /// Parses an RDF/XML document.
    static func parse(_ data: Data, base: String, blankPrefix: String) throws -> [Triple] {
        let reader = RDFXMLReader(base: base, blankPrefix: blankPrefix)
        let parser = XMLParser(data: data)
        parser.shouldProcessNamespaces = true
        parser.delegate = reader
        guard parser.parse() else { throw parser.parserError ?? CocoaError(.fileReadCorruptFile) }
        return reader.triples
    }

    private func fresh() -> Term {
        self.blankCounter += 1
        return .blank("\(self.prefix)\(self.blankCounter)")
    }

    private func resolve(_ iri: String) -> String {
        guard let resolver = IRIResolver(base: self.base) else { return iri }
        return resolver.resolve(iri)
    }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName qName: String?,
        attributes: [String: String] = [:]
    ) {
        let name = (namespaceURI ?? "") + elementName
        let language = attributes["xml:lang"] ?? self.languages.last ?? nil
        self.languages.append(language)
        let top = self.stack.last
        switch top {
        case nil:
            if name == Self.rdf + "RDF" {
                self.stack.append(.root)
            } else {
                self.startNode(name, attributes)
            }
        case .root, .property:
            if case .property(let s, let p, let dt, let lang, let text, _) = top {
                self.stack[self.stack.count - 1] = .property(
                    subject: s, predicate: p, datatype: dt, language: lang, text: text, hasObject: true)
                let node = self.startNode(name, attributes)
                self.triples.append(Triple(s, .iri(p), node))
            } else {
                self.startNode(name, attributes)
            }
        case .node(let subject):
            if let resource = attributes["rdf:resource"] ?? attributes["resource"] {
                self.triples.append(Triple(subject, .iri(name), .iri(self.resolve(resource))))
                self.stack.append(
                    .property(
                        subject: subject, predicate: name, datatype: nil, language: nil, text: "", hasObject: true))
            } else if let nodeID = attributes["rdf:nodeID"] ?? attributes["nodeID"] {
                self.triples.append(Triple(subject, .iri(name), .blank(self.prefix + nodeID)))
                self.stack.append(
                    .property(
                        subject: subject, predicate: name, datatype: nil, language: nil, text: "", hasObject: true))
            } else if (attributes["rdf:parseType"] ?? attributes["parseType"]) == "Resource" {
                let node = self.fresh()
                self.triples.append(Triple(subject, .iri(name), node))
                self.stack.append(.node(node))
            } else {
                self.stack.append(
                    .property(
                        subject: subject, predicate: name,
                        datatype: attributes["rdf:datatype"] ?? attributes["datatype"],
                        language: language, text: "", hasObject: false))
            }
        }
    }

    @discardableResult
    private func startNode(_ name: String, _ attributes: [String: String]) -> Term {
        let subject: Term
        if let about = attributes["rdf:about"] ?? attributes["about"] {
            subject = .iri(self.resolve(about))
        } else if let nodeID = attributes["rdf:nodeID"] ?? attributes["nodeID"] {
            subject = .blank(self.prefix + nodeID)
        } else {
            subject = self.fresh()
        }
        if name != Self.rdf + "Description" {
            self.triples.append(Triple(subject, .iri(RDFVocabulary.type), .iri(name)))
        }
        self.stack.append(.node(subject))
        return subject
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if case .property(let s, let p, let dt, let lang, let text, let hasObject) = self.stack.last {
            self.stack[self.stack.count - 1] = .property(
                subject: s, predicate: p, datatype: dt, language: lang, text: text + string, hasObject: hasObject)
        }
    }

    func parser(
        _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?
    ) {
        self.languages.removeLast()
        guard let top = self.stack.popLast() else { return }
        if case .property(let s, let p, let dt, let lang, let text, let hasObject) = top, !hasObject {
            let literal: Literal
            if let dt {
                literal = Literal(text, datatype: self.resolve(dt))
            } else if let lang {
                literal = Literal(text, language: lang)
            } else {
                literal = Literal(text)
            }
            self.triples.append(Triple(s, .iri(p), .literal(literal)))
        }
    }
}
