import Foundation
import RDF

/// How a query is evaluated.
public struct QueryOptions: Sendable {
    /// Use the union of all graphs as the default graph (instead of the store's default graph); FROM overrides it.
    public var defaultGraphAsUnion: Bool
    /// Evaluation stops with `SPARQLError(.timeout)` at the first check after this instant (checked every ~1k steps).
    public var deadline: ContinuousClock.Instant?
    /// More solutions (or triples) than this stops evaluation with `SPARQLError(.resultTooLarge)`.
    public var maxRows: Int?
    /// NOW() and the random source; nil uses the wall clock and the system generator.
    public var context: FunctionContext?
    /// Optimiser switches for differential tests (results must not depend on them).
    var planning = PlanningOptions()

    /// Options; the defaults evaluate over the store's default graph without limits.
    public init(
        defaultGraphAsUnion: Bool = false, deadline: ContinuousClock.Instant? = nil, maxRows: Int? = nil,
        context: FunctionContext? = nil
    ) {
        self.defaultGraphAsUnion = defaultGraphAsUnion
        self.deadline = deadline
        self.maxRows = maxRows
        self.context = context
    }
}

/// Evaluates parsed queries against a store (SPARQL 1.1 §18.5 evaluation semantics, §16 query forms).
public enum QueryEvaluator {
    /// Evaluates `query` over `store`.
    public static func evaluate(
        _ query: SPARQLQuery, on store: QuadStore, options: QueryOptions
    ) throws(SPARQLError) -> QueryResult {
        let ids = { (iris: [String]) -> [UInt32] in iris.compactMap { store.id(of: .iri($0))?.raw } }
        let defaultGraph: DefaultGraphSpec
        if !query.defaultGraphs.isEmpty {
            defaultGraph = .graphs(ids(query.defaultGraphs))
        } else if !query.namedGraphs.isEmpty {
            defaultGraph = .graphs([])
        } else {
            defaultGraph = .selector(options.defaultGraphAsUnion ? .union : .defaultGraph)
        }
        var named: [UInt32]?
        if !query.namedGraphs.isEmpty {
            named = ids(query.namedGraphs)
        } else if !query.defaultGraphs.isEmpty {
            named = []
        }
        let ctx = ExecutionContext(
            store: store, functions: options.context ?? Self.defaultContext(), deadline: options.deadline,
            defaultGraph: defaultGraph, namedGraphs: named)
        ctx.baseIRI = query.baseIRI
        let planner = Planner(ctx: ctx, options: options.planning)
        let (sequence, variables) = try planner.planSequence(query.algebra, PlanEnvironment(scope: Scope()))
        ctx.rowWidth = planner.width
        let buffer = RowBuffer(width: planner.width)
        switch query.form {
        case .select:
            var rows: [[String: Term]] = []
            _ = sequence.run(buffer.pointer, ctx) { values in
                if let max = options.maxRows, rows.count >= max {
                    ctx.fail(SPARQLError(.resultTooLarge, "the result has more than \(max) rows"))
                    return false
                }
                var row = [String: Term](minimumCapacity: variables.count)
                for (i, v) in values.enumerated() where v != IDSpace.unbound { row[variables[i]] = ctx.term(v) }
                rows.append(row)
                return true
            }
            if let error = ctx.error { throw error }
            return .bindings(variables: variables, rows: rows)
        case .ask:
            var found = false
            _ = sequence.run(buffer.pointer, ctx) { _ in
                found = true
                return false
            }
            if let error = ctx.error { throw error }
            return .boolean(found)
        case .construct:
            let triples = try Self.construct(query, sequence, variables, buffer, ctx, options)
            return .graph(triples)
        case .describe:
            return .graph(try Self.describe(query, sequence, variables, buffer, ctx, options))
        }
    }

    /// CONSTRUCT (§16.2): instantiates the template per solution with fresh blank nodes, skipping triples with unbound
    /// variables or invalid terms; duplicates are removed.
    private static func construct(
        _ query: SPARQLQuery, _ sequence: SolutionSequence, _ variables: [String], _ buffer: RowBuffer,
        _ ctx: ExecutionContext, _ options: QueryOptions
    ) throws(SPARQLError) -> [Triple] {
        var index: [String: Int] = [:]
        for (i, v) in variables.enumerated() { index[v] = i }
        var seen = Set<Triple>()
        var triples: [Triple] = []
        var solution = 0
        _ = sequence.run(buffer.pointer, ctx) { values in
            solution += 1
            func term(_ t: TemplateTerm) -> Term? {
                switch t {
                case .term(let term): return term
                case .blank(let label): return .blank("c\(solution)_" + label.filter { $0.isLetter || $0.isNumber })
                case .variable(let v):
                    guard let i = index[v], values[i] != IDSpace.unbound else { return nil }
                    return ctx.term(values[i])
                }
            }
            for t in query.template {
                guard let s = term(t.subject), let p = term(t.predicate), let o = term(t.object) else { continue }
                if case .literal = s { continue }
                guard case .iri = p else { continue }
                let triple = Triple(s, p, o)
                if seen.insert(triple).inserted {
                    if let max = options.maxRows, triples.count >= max {
                        ctx.fail(SPARQLError(.resultTooLarge, "the result has more than \(max) triples"))
                        return false
                    }
                    triples.append(triple)
                }
            }
            return true
        }
        if let error = ctx.error { throw error }
        return triples
    }

    /// DESCRIBE (§16.4): the triples whose subject is a described resource, following blank node objects (a concise
    /// bounded description).
    private static func describe(
        _ query: SPARQLQuery, _ sequence: SolutionSequence, _ variables: [String], _ buffer: RowBuffer,
        _ ctx: ExecutionContext, _ options: QueryOptions
    ) throws(SPARQLError) -> [Triple] {
        var resources: [UInt32] = []
        var known = Set<UInt32>()
        for target in query.describeTargets ?? [] {
            if case .term(let t) = target, let id = ctx.store.id(of: t), known.insert(id.raw).inserted {
                resources.append(id.raw)
            }
        }
        let described = Set(query.describeTargets?.compactMap(\.variable) ?? variables)
        _ = sequence.run(buffer.pointer, ctx) { values in
            for (i, v) in values.enumerated() where described.contains(variables[i]) && v != IDSpace.unbound {
                if v < IDSpace.extensionBase && known.insert(v).inserted { resources.append(v) }
            }
            return true
        }
        if let error = ctx.error { throw error }
        let selector: GraphSelector = options.defaultGraphAsUnion ? .union : .defaultGraph
        var triples: [Triple] = []
        var seen = Set<Triple>()
        var i = 0
        while i < resources.count {
            let r = resources[i]
            i += 1
            ctx.store.match(subject: TermID(raw: r), predicate: nil, object: nil, in: selector) { q in
                let triple = Triple(ctx.term(q.subject.raw), ctx.term(q.predicate.raw), ctx.term(q.object.raw))
                if seen.insert(triple).inserted { triples.append(triple) }
                if case .blank = triple.object, known.insert(q.object.raw).inserted { resources.append(q.object.raw) }
                return true
            }
        }
        if let max = options.maxRows, triples.count > max {
            throw SPARQLError(.resultTooLarge, "the result has more than \(max) triples")
        }
        return triples
    }

    /// NOW() from the wall clock (UTC, millisecond precision) and RAND() from the system generator.
    static func defaultContext() -> FunctionContext {
        let now = Date().timeIntervalSince1970
        let milliseconds = Int((now * 1000).rounded(.down))
        let (days, dayMilliseconds) = milliseconds.quotientAndRemainder(dividingBy: 86_400_000)
        // Civil from days (H. Hinnant's algorithm), days since 1970-01-01.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        func pad(_ n: Int, _ width: Int) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        let ms = dayMilliseconds
        let text =
            "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(ms / 3_600_000, 2)):\(pad(ms / 60000 % 60, 2)):"
            + "\(pad(ms / 1000 % 60, 2)).\(pad(ms % 1000, 3))Z"
        return FunctionContext(now: text, random: { Double.random(in: 0..<1) })
    }
}
