import RDF

@testable import SPARQL

/// Shared fixtures for the SPARQL 1.1 §17 function tests: literal builders and a fixed context.
enum Fixture {
    /// A fixed `NOW()` and a constant random source, so results are reproducible.
    static let context = FunctionContext(now: "2011-01-10T14:45:13.815-05:00", random: { 0.25 })

    static func typed(_ lexical: String, _ datatype: String) -> Term { .literal(Literal(lexical, datatype: datatype)) }
    static func integer(_ lexical: String) -> Term { self.typed(lexical, XSD.integer) }
    static func decimal(_ lexical: String) -> Term { self.typed(lexical, XSD.decimal) }
    static func double(_ lexical: String) -> Term { self.typed(lexical, XSD.double) }
    static func float(_ lexical: String) -> Term { self.typed(lexical, XSD.float) }
    static func dateTime(_ lexical: String) -> Term { self.typed(lexical, XSD.dateTime) }
    static func date(_ lexical: String) -> Term { self.typed(lexical, XSD.date) }
    static func tagged(_ lexical: String, _ language: String) -> Term { .literal(Literal(lexical, language: language)) }
    static func unknown(_ lexical: String) -> Term { self.typed(lexical, "http://example/unknown") }

    /// Calls a built-in function with the fixed context.
    static func call(_ function: BuiltinFunction, _ arguments: Term...) throws(ExpressionError) -> Term {
        try SPARQLFunctions.call(function, arguments, context: self.context)
    }

    /// Whether calling the function raises an expression error.
    static func fails(_ function: BuiltinFunction, _ arguments: Term...) -> Bool {
        do {
            _ = try SPARQLFunctions.call(function, arguments, context: self.context)
            return false
        } catch {
            return true
        }
    }

    /// The result of a comparison, or nil when it is an error.
    static func compare(_ op: ComparisonOperator, _ lhs: Term, _ rhs: Term) -> Bool? {
        try? SPARQLFunctions.compare(op, lhs, rhs)
    }

    /// The result of an arithmetic operation, or nil when it is an error.
    static func arithmetic(_ op: ArithmeticOperator, _ lhs: Term, _ rhs: Term) -> Term? {
        try? SPARQLFunctions.arithmetic(op, lhs, rhs)
    }
}
