/// A lexical token of the SPARQL 1.1 grammar (§19.8 terminals).
struct Token: Equatable, Sendable {
    /// The terminal kinds the parser distinguishes.
    enum Kind: Equatable, Sendable {
        /// `IRIREF`, content without the angle brackets, not yet resolved.
        case iri(String)
        /// `PNAME_NS` (local is empty) or `PNAME_LN`, the local part with `PN_LOCAL_ESC` removed.
        case prefixedName(prefix: String, local: String)
        /// `BLANK_NODE_LABEL` without `_:`.
        case blankNode(String)
        /// `VAR1` / `VAR2` without the sigil.
        case variable(String)
        /// Any of the four string forms, escapes resolved.
        case string(String)
        /// `LANGTAG` without `@`.
        case languageTag(String)
        /// `INTEGER`.
        case integer(String)
        /// `DECIMAL`.
        case decimal(String)
        /// `DOUBLE`.
        case double(String)
        /// A keyword or built-in function name, upper-cased (keywords are case-insensitive, §19.3).
        case keyword(String)
        /// The case-sensitive `a` (rdf:type).
        case a
        /// Punctuation or an operator.
        case punctuation(String)
        /// End of input.
        case end
    }

    /// The terminal.
    var kind: Kind
    /// 1-based line.
    var line: Int
    /// 1-based column.
    var column: Int
    /// Whether whitespace or a comment separates this token from the previous one.
    var spaceBefore: Bool
}
