import RDF
import SPARQL
import XMPPCore

/// SPARQL Query Results XML Format (W3C Rec 2013, §2) as an ``XMLElement``, to embed in a match result
/// (CONTRACT §5.3): `<sparql xmlns='http://www.w3.org/2005/sparql-results#'>` with `<head>` and `<results>` or
/// `<boolean>`.
public enum SPARQLResultsElement {
    /// The document element for a SELECT or ASK result; nil for a graph (CONSTRUCT) result.
    public static func make(_ result: QueryResult) -> XMLElement? {
        let ns = CapabilityVocabulary.resultsNamespace
        var sparql = XMLElement(name: "sparql", namespace: ns)
        var head = XMLElement(name: "head", namespace: ns)
        switch result {
        case .bindings(let variables, let rows):
            for variable in variables {
                head.append(XMLElement(name: "variable", namespace: ns, attributes: ["name": variable]))
            }
            sparql.append(head)
            var results = XMLElement(name: "results", namespace: ns)
            for row in rows {
                var element = XMLElement(name: "result", namespace: ns)
                for variable in variables {
                    guard let term = row[variable] else { continue }
                    var binding = XMLElement(name: "binding", namespace: ns, attributes: ["name": variable])
                    binding.append(self.termElement(term))
                    element.append(binding)
                }
                results.append(element)
            }
            sparql.append(results)
        case .boolean(let value):
            sparql.append(head)
            var boolean = XMLElement(name: "boolean", namespace: ns)
            boolean.append(text: value ? "true" : "false")
            sparql.append(boolean)
        case .graph:
            return nil
        }
        return sparql
    }

    /// `<uri>`, `<bnode>` or `<literal>` with `datatype` or `xml:lang` (§2.3.1).
    static func termElement(_ term: Term) -> XMLElement {
        let ns = CapabilityVocabulary.resultsNamespace
        var element: XMLElement
        switch term {
        case .iri(let iri):
            element = XMLElement(name: "uri", namespace: ns)
            element.append(text: iri)
        case .blank(let label):
            element = XMLElement(name: "bnode", namespace: ns)
            element.append(text: label)
        case .literal(let literal):
            element = XMLElement(name: "literal", namespace: ns)
            if let language = literal.language {
                element[attribute: "xml:lang"] = language
            } else if literal.datatype != XSD.string {
                element[attribute: "datatype"] = literal.datatype
            }
            element.append(text: literal.lexical)
        }
        return element
    }
}
