import RDF
import Testing

@testable import SPARQL

@Suite struct QueryEvaluatorTests {
    static let ex = "http://example.org/"

    /// A small dataset: three clouds in named graphs, plus a class hierarchy in the default graph.
    static func store() -> QuadStore {
        var store = QuadStore()
        func iri(_ s: String) -> Term { .iri(Self.ex + s) }
        store.insert(
            [
                Triple(iri("ObjectStorage"), .iri(RDFVocabulary.subClassOf), iri("Storage")),
                Triple(iri("ColdStorage"), .iri(RDFVocabulary.subClassOf), iri("ObjectStorage")),
            ], graph: .defaultGraph)
        let clouds: [(String, String, Int, String)] = [
            ("a", "ObjectStorage", 3, "eu"), ("b", "ColdStorage", 5, "us"), ("c", "Compute", 1, "eu"),
        ]
        for (name, type, replicas, region) in clouds {
            let s = iri("svc-" + name)
            store.insert(
                [
                    Triple(s, .iri(RDFVocabulary.type), iri(type)),
                    Triple(s, iri("replicas"), .integer(replicas)),
                    Triple(s, iri("region"), .string(region)),
                    Triple(s, iri("name"), .literal(Literal("service " + name, language: "en"))),
                ], graph: .named(iri("cloud-" + name)))
        }
        store.insert([Triple(iri("svc-a"), iri("certified"), .boolean(true))], graph: .named(iri("cloud-a")))
        return store
    }

    func select(_ text: String, union: Bool = true, store: QuadStore = Self.store()) throws -> [[String: Term]] {
        let q = try SPARQLQuery.parse(
            "PREFIX : <\(Self.ex)> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> " + text)
        guard
            case .bindings(_, let rows) = try QueryEvaluator.evaluate(
                q, on: store, options: .init(defaultGraphAsUnion: union))
        else {
            Issue.record("not a SELECT result")
            return []
        }
        return rows
    }

    func names(_ rows: [[String: Term]], _ v: String) -> [String] {
        rows.compactMap { row -> String? in
            guard case .iri(let i)? = row[v] else { return nil }
            return String(i.dropFirst(Self.ex.count))
        }.sorted()
    }

    @Test func basicGraphPatternJoins() throws {
        let rows = try self.select("SELECT ?s ?t { ?s a ?t ; :region \"eu\" }")
        #expect(self.names(rows, "s") == ["svc-a", "svc-c"])
    }

    @Test func defaultGraphIsOnlyTheDefaultWithoutUnion() throws {
        let rows = try self.select("SELECT ?s { ?s a ?t }", union: false)
        #expect(rows.isEmpty)
        let graphs = try self.select("SELECT ?g ?s { GRAPH ?g { ?s a ?t } }", union: false)
        #expect(self.names(graphs, "g") == ["cloud-a", "cloud-b", "cloud-c"])
    }

    @Test func zeroOrMorePathFindsSubclasses() throws {
        let rows = try self.select("SELECT ?s { ?s a ?t . ?t rdfs:subClassOf* :Storage }")
        #expect(self.names(rows, "s") == ["svc-a", "svc-b"])
        let closure = try self.select("SELECT ?c { ?c rdfs:subClassOf+ :Storage }")
        #expect(self.names(closure, "c") == ["ColdStorage", "ObjectStorage"])
        let zero = try self.select("SELECT ?c { :Storage rdfs:subClassOf* ?c }")
        #expect(self.names(zero, "c") == ["Storage"])
    }

    @Test func optionalKeepsUnmatchedRows() throws {
        let rows = try self.select("SELECT ?s ?c { ?s :region ?r OPTIONAL { ?s :certified ?c } }")
        #expect(rows.count == 3)
        #expect(rows.filter { $0["c"] != nil }.count == 1)
    }

    @Test func unionMinusAndValues() throws {
        let u = try self.select("SELECT ?s { { ?s a :Compute } UNION { ?s a :ColdStorage } }")
        #expect(self.names(u, "s") == ["svc-b", "svc-c"])
        let m = try self.select("SELECT ?s { ?s :region ?r MINUS { ?s :certified true } }")
        #expect(self.names(m, "s") == ["svc-b", "svc-c"])
        let v = try self.select("SELECT ?s ?r { VALUES ?s { :svc-a :svc-b } ?s :region ?r }")
        #expect(self.names(v, "s") == ["svc-a", "svc-b"])
    }

    @Test func graphVariableBindsGraphNames() throws {
        let rows = try self.select("SELECT ?g { GRAPH ?g { :svc-b :region ?r } }", union: false)
        #expect(self.names(rows, "g") == ["cloud-b"])
        let fixed = try self.select("SELECT ?s { GRAPH :cloud-c { ?s a ?t } }", union: false)
        #expect(self.names(fixed, "s") == ["svc-c"])
    }

    @Test func sliceAndDistinct() throws {
        let rows = try self.select("SELECT DISTINCT ?r { ?s :region ?r }")
        #expect(rows.count == 2)
        let limited = try self.select("SELECT ?s { ?s :region ?r } LIMIT 2 OFFSET 1")
        #expect(limited.count == 2)
    }

    @Test func groupByCounts() throws {
        let rows = try self.select("SELECT ?r (COUNT(*) AS ?n) { ?s :region ?r } GROUP BY ?r")
        var counts: [String: Term] = [:]
        for row in rows {
            if case .literal(let l)? = row["r"] { counts[l.lexical] = row["n"] }
        }
        #expect(counts == ["eu": .integer(2), "us": .integer(1)])
        let empty = try self.select("SELECT (COUNT(*) AS ?n) { ?s :missing ?o }")
        #expect(empty == [["n": .integer(0)]])
    }

    @Test func unionDefaultGraphMergesDuplicateTriples() throws {
        var store = Self.store()
        let t = Triple(.iri(Self.ex + "x"), .iri(Self.ex + "p"), .integer(1))
        store.insert([t], graph: .named(.iri(Self.ex + "g1")))
        store.insert([t], graph: .named(.iri(Self.ex + "g2")))
        let rows = try self.select("SELECT ?o { :x :p ?o }", store: store)
        #expect(rows.count == 1)
        let perGraph = try self.select("SELECT ?g { GRAPH ?g { :x :p ?o } }", store: store)
        #expect(perGraph.count == 2)
        // The same triple in the default graph too, and a triple only in the default graph.
        store.insert([t, Triple(.iri(Self.ex + "x"), .iri(Self.ex + "p"), .integer(2))], graph: .defaultGraph)
        let merged = try self.select("SELECT ?o { :x :p ?o }", store: store)
        #expect(merged.count == 2)
        let all = try self.select("SELECT ?s ?p ?o { ?s ?p ?o FILTER(?s = :x) }", store: store)
        #expect(all.count == 2)
        let path = try self.select("SELECT ?o { :x :p+ ?o }", store: store)
        #expect(path.count == 2)
        let count = try self.select("SELECT (COUNT(*) AS ?n) { ?s :p ?o }", store: store)
        #expect(count == [["n": .integer(2)]])
    }

    @Test func askAndConstruct() throws {
        let store = Self.store()
        let ask = try SPARQLQuery.parse("ASK { ?s <\(Self.ex)certified> true }")
        guard
            case .boolean(let b) = try QueryEvaluator.evaluate(
                ask, on: store, options: .init(defaultGraphAsUnion: true))
        else {
            Issue.record("not boolean")
            return
        }
        #expect(b)
        let construct = try SPARQLQuery.parse(
            "CONSTRUCT { ?s <urn:in> ?r . ?s <urn:x> [] } WHERE { ?s <\(Self.ex)region> ?r }")
        let result = try QueryEvaluator.evaluate(construct, on: store, options: .init(defaultGraphAsUnion: true))
        guard case .graph(let triples) = result else {
            Issue.record("not a graph")
            return
        }
        #expect(triples.count == 6)
        #expect(Set(triples.compactMap { t -> Term? in t.predicate == .iri("urn:x") ? t.object : nil }).count == 3)
    }

    @Test func maxRowsStopsEvaluation() throws {
        let q = try SPARQLQuery.parse("SELECT * { ?s ?p ?o }")
        #expect(throws: SPARQLError.self) {
            try QueryEvaluator.evaluate(q, on: Self.store(), options: .init(defaultGraphAsUnion: true, maxRows: 3))
        }
        do {
            _ = try QueryEvaluator.evaluate(q, on: Self.store(), options: .init(defaultGraphAsUnion: true, maxRows: 3))
        } catch {
            #expect(error.code == .resultTooLarge)
        }
    }

    @Test func expiredDeadlineTimesOut() throws {
        var store = QuadStore()
        for i in 0..<3000 { store.insert([Triple(.iri("urn:s\(i)"), .iri("urn:p"), .integer(i))]) }
        let q = try SPARQLQuery.parse("SELECT * { ?s ?p ?o . ?t ?p ?x }")
        do {
            _ = try QueryEvaluator.evaluate(q, on: store, options: .init(deadline: .now - .seconds(1)))
            Issue.record("no timeout")
        } catch {
            #expect(error.code == .timeout)
        }
    }
}

@Suite struct QueryPlannerTests {
    @Test func selectivePatternRunsFirst() throws {
        var store = QuadStore()
        for i in 0..<500 {
            store.insert([
                Triple(.iri("urn:s\(i)"), .iri("urn:common"), .integer(i)),
                Triple(.iri("urn:s\(i)"), .iri("urn:type"), .iri(i == 7 ? "urn:Rare" : "urn:Usual")),
            ])
        }
        let q = try SPARQLQuery.parse("SELECT * { ?s <urn:common> ?v . ?s <urn:type> <urn:Rare> }")
        let ctx = ExecutionContext(
            store: store, functions: QueryEvaluator.defaultContext(), deadline: nil,
            defaultGraph: .selector(.defaultGraph), namedGraphs: nil)
        let planner = Planner(ctx: ctx)
        let (sequence, _) = try planner.planSequence(q.algebra, PlanEnvironment(scope: Scope()))
        let first = try #require((sequence.root as? PipelineOp)?.steps.first as? ScanOp)
        guard case .constant(let o) = first.object else {
            Issue.record("the first scan should have a constant object")
            return
        }
        #expect(o == store.id(of: .iri("urn:Rare"))?.raw)
    }

    @Test func explainShowsThePlan() throws {
        let store = QueryEvaluatorTests.store()
        let q = try SPARQLQuery.parse(
            """
            PREFIX : <\(QueryEvaluatorTests.ex)>
            SELECT * { ?s a ?t . ?t <http://www.w3.org/2000/01/rdf-schema#subClassOf>* :Storage
                       OPTIONAL { ?s :certified ?c } FILTER(?s != :x) }
            """)
        let ctx = ExecutionContext(
            store: store, functions: QueryEvaluator.defaultContext(), deadline: nil,
            defaultGraph: .selector(.union), namedGraphs: nil)
        let (sequence, _) = try Planner(ctx: ctx).planSequence(q.algebra, PlanEnvironment(scope: Scope()))
        let plan = sequence.root.explain(ctx)
        #expect(plan.contains("path ?1 <Storage>"), "\(plan)")
        #expect(plan.contains("optional\n  scan ?0 <certified> ?"), "\(plan)")
        #expect(plan.contains("filter"), "\(plan)")
    }

    @Test func answersDoNotDependOnPlanningChoices() throws {
        let store = QueryEvaluatorTests.store()
        let queries = [
            "SELECT * { ?s a ?t OPTIONAL { ?s <\(QueryEvaluatorTests.ex)certified> ?c FILTER(?t != ?c) } }",
            "SELECT * { ?s a ?t { ?s ?p ?o FILTER(?t = ?o) } UNION { ?s ?p ?o } }",
            "SELECT * { ?s a ?t MINUS { ?s ?p true } FILTER NOT EXISTS { ?s ?q 5 } }",
            "SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
            "SELECT * { ?x <http://www.w3.org/2000/01/rdf-schema#subClassOf>* ?y . ?s a ?x }",
        ]
        for text in queries {
            let q = try SPARQLQuery.parse(text)
            var results: [[[String: Term]]] = []
            for (reorder, correlate) in [(true, true), (false, true), (true, false), (false, false)] {
                var options = QueryOptions(defaultGraphAsUnion: true)
                options.planning = PlanningOptions(reorderJoins: reorder, correlate: correlate)
                guard case .bindings(_, let rows) = try QueryEvaluator.evaluate(q, on: store, options: options) else {
                    Issue.record("not bindings")
                    return
                }
                results.append(rows)
            }
            for r in results.dropFirst() {
                #expect(ResultComparison.equal(results[0], r, ordered: false), "\(text)")
            }
            #expect(!results[0].isEmpty, "\(text)")
        }
    }
}
