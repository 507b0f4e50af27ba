import Foundation
import RDF

@testable import SPARQL

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Reads expected query results: SPARQL Query Results XML (.srx) and JSON (.srj), and the `rs:` result-set
/// vocabulary (DAWG test result sets in Turtle or RDF/XML).
enum ResultsReader {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Parses SPARQL Query Results XML Format.
    static func xml(_ data: Data) throws -> QueryResult {
        let reader = SRXReader()
        let parser = XMLParser(data: data)
        parser.shouldProcessNamespaces = true
        parser.delegate = reader
        guard parser.parse() else { throw Failure(description: "bad SRX: \(String(describing: parser.parserError))") }
        if let b = reader.boolean { return .boolean(b) }
        return .bindings(variables: reader.variables, rows: reader.rows)
    }

    /// Parses SPARQL 1.1 Query Results JSON Format.
    static func json(_ data: Data) throws -> QueryResult {
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw Failure(description: "bad SRJ")
        }
        if let b = object["boolean"] as? Bool { return .boolean(b) }
        let head = object["head"] as? [String: Any]
        let variables = head?["vars"] as? [String] ?? []
        let results = object["results"] as? [String: Any]
        var rows: [[String: Term]] = []
        for binding in results?["bindings"] as? [[String: Any]] ?? [] {
            var row: [String: Term] = [:]
            for (name, value) in binding {
                guard let v = value as? [String: Any], let type = v["type"] as? String,
                    let text = v["value"] as? String
                else { continue }
                switch type {
                case "uri": row[name] = .iri(text)
                case "bnode": row[name] = .blank(text)
                default:
                    if let lang = v["xml:lang"] as? String {
                        row[name] = .literal(Literal(text, language: lang))
                    } else {
                        row[name] = .literal(Literal(text, datatype: v["datatype"] as? String ?? XSD.string))
                    }
                }
            }
            rows.append(row)
        }
        return .bindings(variables: variables, rows: rows)
    }

    /// Reads a result set written in the `rs:` vocabulary; nil when the graph holds no rs:ResultSet. Rows are in
    /// rs:index order when indexes are given.
    static func resultSet(_ triples: [Triple]) -> QueryResult? {
        let rs = "http://www.w3.org/2001/sw/DataAccess/tests/result-set#"
        var bySubject: [Term: [(String, Term)]] = [:]
        for t in triples {
            guard case .iri(let p) = t.predicate else { continue }
            bySubject[t.subject, default: []].append((p, t.object))
        }
        guard
            let set = triples.first(where: {
                $0.predicate == .iri(RDFVocabulary.type) && $0.object == .iri(rs + "ResultSet")
            })?.subject
        else { return nil }
        let properties = bySubject[set] ?? []
        if let b = properties.first(where: { $0.0 == rs + "boolean" })?.1, case .literal(let l) = b {
            return .boolean(l.lexical == "true")
        }
        let variables = properties.filter { $0.0 == rs + "resultVariable" }.compactMap { p -> String? in
            if case .literal(let l) = p.1 { return l.lexical }
            return nil
        }
        var rows: [(Int, [String: Term])] = []
        for (k, solution) in properties.filter({ $0.0 == rs + "solution" }).map(\.1).enumerated() {
            var row: [String: Term] = [:]
            var index = k
            for (p, o) in bySubject[solution] ?? [] {
                if p == rs + "index", case .literal(let l) = o, let i = Int(l.lexical) { index = i }
                guard p == rs + "binding" else { continue }
                let binding = bySubject[o] ?? []
                guard case .literal(let name)? = binding.first(where: { $0.0 == rs + "variable" })?.1,
                    let value = binding.first(where: { $0.0 == rs + "value" })?.1
                else { continue }
                row[name.lexical] = value
            }
            rows.append((index, row))
        }
        rows.sort { $0.0 < $1.0 }
        return .bindings(variables: variables, rows: rows.map(\.1))
    }
}

/// SAX reader for SPARQL Query Results XML Format.
final class SRXReader: NSObject, XMLParserDelegate {
    var variables: [String] = []
    var rows: [[String: Term]] = []
    var boolean: Bool?
    private var current: [String: Term]?
    private var binding: String?
    private var kind: String?
    private var datatype: String?
    private var language: String?
    private var text = ""

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName qName: String?,
        attributes: [String: String] = [:]
    ) {
        switch elementName {
        case "variable": if let n = attributes["name"] { self.variables.append(n) }
        case "result": self.current = [:]
        case "binding": self.binding = attributes["name"]
        case "uri", "bnode", "literal":
            self.kind = elementName
            self.datatype = attributes["datatype"]
            self.language = attributes["xml:lang"] ?? attributes["lang"]
            self.text = ""
        case "boolean": self.text = ""
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { self.text += string }

    func parser(
        _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?
    ) {
        switch elementName {
        case "uri", "bnode", "literal":
            guard let b = self.binding else { return }
            let term: Term
            switch elementName {
            case "uri": term = .iri(self.text)
            case "bnode": term = .blank(self.text)
            default:
                if let language = self.language {
                    term = .literal(Literal(self.text, language: language))
                } else {
                    term = .literal(Literal(self.text, datatype: self.datatype ?? XSD.string))
                }
            }
            self.current?[b] = term
            self.kind = nil
        case "result":
            if let c = self.current { self.rows.append(c) }
            self.current = nil
        case "boolean":
            self.boolean = self.text.trimmingCharacters(in: .whitespacesAndNewlines) == "true"
        default: break
        }
    }
}
