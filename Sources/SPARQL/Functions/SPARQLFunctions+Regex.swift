import RDF

extension SPARQLFunctions {
    /// `REGEX(text, pattern[, flags])` (SPARQL 1.1 §17.4.3.14, XPath `fn:matches`): the text is any string
    /// literal, pattern and flags are simple literals.
    static func regex(_ arguments: [Term]) throws(ExpressionError) -> Term {
        let text = try self.stringArgument(arguments[0], of: "REGEX")
        let pattern = try self.simpleString(arguments[1], of: "REGEX")
        let flags = arguments.count > 2 ? try self.simpleString(arguments[2], of: "REGEX") : ""
        return .boolean(try XPathRegex.compile(pattern, flags: flags).matches(text.lexical))
    }

    /// `REPLACE(text, pattern, replacement[, flags])` (SPARQL 1.1 §17.4.3.15, XPath `fn:replace`), keeping the
    /// text's language tag.
    static func replace(_ arguments: [Term]) throws(ExpressionError) -> Term {
        let text = try self.stringArgument(arguments[0], of: "REPLACE")
        let pattern = try self.simpleString(arguments[1], of: "REPLACE")
        let replacement = try self.simpleString(arguments[2], of: "REPLACE")
        let flags = arguments.count > 3 ? try self.simpleString(arguments[3], of: "REPLACE") : ""
        let regex = try XPathRegex.compile(pattern, flags: flags)
        return text.term(try regex.replace(text.lexical, with: replacement))
    }
}
