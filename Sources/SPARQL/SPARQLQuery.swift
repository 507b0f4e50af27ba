import RDF

/// The four query forms (SPARQL 1.1 §16).
public enum QueryForm: Sendable {
    case select, ask, construct, describe
}

/// A parsed and translated SPARQL 1.1 query, ready to be evaluated against any `QuadStore` (SPARQL 1.1 §18.2).
///
/// Parsing checks the grammar (§19.8) and the scope rules of §18.2.1; evaluation never reports syntax errors.
public struct SPARQLQuery: Sendable {
    /// The query form.
    public var form: QueryForm
    /// The algebra expression of the WHERE clause with its solution modifiers.
    let algebra: Algebra
    /// The projected variables (SELECT), or every visible variable for the other forms.
    public let variables: [String]
    /// The CONSTRUCT template (CONSTRUCT WHERE: the pattern itself, §16.2.4).
    let template: [TemplateTriple]
    /// DESCRIBE targets; nil for `DESCRIBE *`.
    let describeTargets: [VarOrTerm]?
    /// FROM graphs (§13.2.1); empty means the store's default graph.
    let defaultGraphs: [String]
    /// FROM NAMED graphs (§13.2.2).
    let namedGraphs: [String]
    /// The base IRI in effect at the end of the prologue, for IRI() / URI() (§17.4.2.8).
    let baseIRI: String?

    /// Parses a SPARQL 1.1 query; `baseIRI` resolves relative IRIs (§4.1.1.3).
    public static func parse(_ text: String, baseIRI: String? = nil) throws(SPARQLError) -> SPARQLQuery {
        var parser = try SPARQLParser(text, baseIRI: baseIRI)
        let parsed = try parser.parseQuery()
        var translator = AlgebraTranslator()
        var select = parsed.select
        if parsed.form == .describe, let targets = parsed.describe {
            let vars = targets.compactMap(\.variable)
            select.projection = vars.isEmpty ? nil : vars.map { Projection(variable: $0, expression: nil) }
        } else if parsed.form != .select {
            select.projection = nil
        }
        let (algebra, variables) = try translator.translate(select: select)
        return SPARQLQuery(
            form: parsed.form, algebra: algebra, variables: variables, template: parsed.template,
            describeTargets: parsed.describe, defaultGraphs: parsed.from, namedGraphs: parsed.fromNamed,
            baseIRI: parser.base)
    }
}
