import RDF

/// Compares query results as multisets of solutions (or graphs as sets of triples) up to a renaming of blank nodes
/// (SPARQL 1.1 Query Results: blank node labels are local to a result set; RDF 1.1 Concepts §3.6 isomorphism).
enum ResultComparison {
    typealias Row = [String: Term]

    /// Whether two solution sequences are equal up to blank node renaming (and in the same order if `ordered`).
    static func equal(_ expected: [Row], _ actual: [Row], ordered: Bool) -> Bool {
        guard expected.count == actual.count else { return false }
        if ordered {
            var forward: [String: String] = [:]
            var backward: [String: String] = [:]
            for (e, a) in zip(expected, actual) where !Self.match(e, a, &forward, &backward) { return false }
            return true
        }
        let groundExpected = expected.filter { !Self.hasBlank($0) }.map(Self.key).sorted()
        let groundActual = actual.filter { !Self.hasBlank($0) }.map(Self.key).sorted()
        guard groundExpected == groundActual else { return false }
        let blankExpected = expected.filter(Self.hasBlank).sorted { Self.shape($0) < Self.shape($1) }
        let blankActual = actual.filter(Self.hasBlank)
        guard blankExpected.count == blankActual.count else { return false }
        var used = Array(repeating: false, count: blankActual.count)
        var forward: [String: String] = [:]
        var backward: [String: String] = [:]
        var budget = 200_000
        return Self.search(0, blankExpected, blankActual, &used, &forward, &backward, &budget)
    }

    /// Whether two graphs are isomorphic.
    static func isomorphic(_ expected: [Triple], _ actual: [Triple]) -> Bool {
        func rows(_ ts: [Triple]) -> [Row] {
            Array(Set(ts)).map { ["s": $0.subject, "p": $0.predicate, "o": $0.object] }
        }
        return Self.equal(rows(expected), rows(actual), ordered: false)
    }

    static let numericTypes: Set<String> = [
        XSD.integer, XSD.decimal, XSD.double, XSD.float, XSD.int, XSD.long, XSD.short, XSD.byte,
        XSD.nonNegativeInteger, XSD.positiveInteger, XSD.negativeInteger, XSD.nonPositiveInteger,
    ]

    /// Term equality, except that numeric literals of one datatype compare by value: the expected results of the
    /// W3C tests are not always in canonical form ("6"^^xsd:decimal for a computed "6.0").
    static func sameValue(_ a: Term, _ b: Term) -> Bool {
        if a == b { return true }
        guard case .literal(let x) = a, case .literal(let y) = b, x.datatype == y.datatype,
            Self.numericTypes.contains(x.datatype), let u = Double(x.lexical), let v = Double(y.lexical)
        else { return false }
        return u == v
    }

    /// A row key for multiset comparison with numeric literals normalised.
    private static func normalised(_ t: Term) -> String {
        if case .literal(let l) = t, Self.numericTypes.contains(l.datatype), let v = Double(l.lexical) {
            return "\(v)^^\(l.datatype)"
        }
        return "\(t)"
    }

    private static func hasBlank(_ row: Row) -> Bool {
        row.values.contains { if case .blank = $0 { return true } else { return false } }
    }

    private static func key(_ row: Row) -> String {
        row.sorted { $0.key < $1.key }.map { "\($0.key)=\(Self.normalised($0.value))" }.joined(separator: "|")
    }

    /// The row with blank nodes erased, for grouping candidates.
    private static func shape(_ row: Row) -> String {
        row.sorted { $0.key < $1.key }.map { entry -> String in
            if case .blank = entry.value { return "\(entry.key)=_" }
            return "\(entry.key)=\(Self.normalised(entry.value))"
        }.joined(separator: "|")
    }

    private static func match(_ e: Row, _ a: Row, _ forward: inout [String: String], _ backward: inout [String: String])
        -> Bool
    {
        guard e.count == a.count else { return false }
        var f = forward
        var b = backward
        for (k, ev) in e {
            guard let av = a[k] else { return false }
            switch (ev, av) {
            case (.blank(let x), .blank(let y)):
                if let m = f[x] {
                    if m != y { return false }
                } else if let m = b[y] {
                    if m != x { return false }
                } else {
                    f[x] = y
                    b[y] = x
                }
            default:
                if !Self.sameValue(ev, av) { return false }
            }
        }
        forward = f
        backward = b
        return true
    }

    private static func search(
        _ i: Int, _ expected: [Row], _ actual: [Row], _ used: inout [Bool], _ forward: inout [String: String],
        _ backward: inout [String: String], _ budget: inout Int
    ) -> Bool {
        if i == expected.count { return true }
        budget -= 1
        if budget < 0 { return false }
        let shape = Self.shape(expected[i])
        for j in actual.indices where !used[j] && Self.shape(actual[j]) == shape {
            var f = forward
            var b = backward
            guard Self.match(expected[i], actual[j], &f, &b) else { continue }
            used[j] = true
            if Self.search(i + 1, expected, actual, &used, &f, &b, &budget) {
                forward = f
                backward = b
                return true
            }
            used[j] = false
        }
        return false
    }
}
