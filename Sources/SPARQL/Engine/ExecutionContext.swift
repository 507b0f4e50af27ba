import RDF

/// The RDF dataset a query is evaluated against (SPARQL 1.1 §13): which store graphs form the default graph and
/// which named graphs are visible.
enum DefaultGraphSpec {
    /// A store selector: `.defaultGraph` or `.union` (the server's union-default-graph option).
    case selector(GraphSelector)
    /// FROM graphs: the RDF merge of these named graphs (§13.2.1).
    case graphs([UInt32])
}

/// Per-evaluation state shared by all operators: the store, the identifier space for computed terms, caches of
/// decoded terms, and the cooperative deadline.
final class ExecutionContext {
    /// The store queried.
    let store: QuadStore
    /// NOW() and the random source.
    let functions: FunctionContext
    /// When evaluation must stop.
    let deadline: ContinuousClock.Instant?
    /// What the default graph is.
    let defaultGraph: DefaultGraphSpec
    /// FROM NAMED graphs; nil means every named graph of the store.
    let namedGraphs: [UInt32]?
    /// The query's base IRI, for IRI() / URI() of relative references (§17.4.2.8).
    var baseIRI: String?
    /// Blank nodes made by BNODE() (§17.4.2.9): a per-evaluation prefix and counter, and BNODE(str) per solution.
    private var blankCounter = 0
    private lazy var blankPrefix = "q" + String(UInt32(self.functions.random() * Double(UInt32.max)), radix: 36) + "x"
    private var blankByString: [String: Term] = [:]
    private var blankGeneration = -1
    /// Whether the store's default graph has no triples (then the union default graph is just the named graphs).
    lazy var defaultGraphIsEmpty: Bool =
        self.store.estimatedCount(subject: nil, predicate: nil, object: nil, in: .defaultGraph) == 0
    /// The named graphs a GRAPH ?g ranges over: FROM NAMED, else every named graph of the store (computed once).
    lazy var graphNames: [UInt32] = self.namedGraphs ?? self.store.namedGraphs().map(\.raw)
    /// Slots per row, known once planning is done.
    var rowWidth = 0
    /// The first error that stops evaluation (timeout, size cap, unsupported feature).
    var error: SPARQLError?
    private var ticks = 0
    private var extensionTerms: [Term] = []
    private var extensionIDs: [Term: UInt32] = [:]
    private var keys = IDMap<TermKey>(capacity: 1024)

    /// A context for one evaluation.
    init(
        store: QuadStore, functions: FunctionContext, deadline: ContinuousClock.Instant?,
        defaultGraph: DefaultGraphSpec, namedGraphs: [UInt32]?
    ) {
        self.store = store
        self.functions = functions
        self.deadline = deadline
        self.defaultGraph = defaultGraph
        self.namedGraphs = namedGraphs
    }

    /// A fresh blank node (BNODE()).
    func freshBlank() -> Term {
        self.blankCounter += 1
        return .blank(self.blankPrefix + String(self.blankCounter))
    }

    /// BNODE(str): the same blank node for the same string within one solution, a different one in another.
    func blank(for string: String) -> Term {
        if self.blankGeneration != self.ticks {
            self.blankGeneration = self.ticks
            self.blankByString.removeAll(keepingCapacity: true)
        }
        if let b = self.blankByString[string] { return b }
        let b = self.freshBlank()
        self.blankByString[string] = b
        return b
    }

    /// Counts one unit of work; every 1024 units checks the deadline. Returns false when evaluation must stop.
    @inline(__always) func tick() -> Bool {
        self.ticks &+= 1
        if self.ticks & 1023 == 0 { return self.checkDeadline() }
        return self.error == nil
    }

    /// Checks the deadline now; false (and `error` set) when it has passed.
    func checkDeadline() -> Bool {
        if self.error != nil { return false }
        if let deadline = self.deadline, ContinuousClock.now >= deadline {
            self.error = SPARQLError(.timeout, "the query ran past its deadline")
            return false
        }
        return true
    }

    /// Stops evaluation with `error` (the first one wins).
    func fail(_ error: SPARQLError) {
        if self.error == nil { self.error = error }
    }

    /// The term behind an identifier.
    @inline(__always) func term(_ id: UInt32) -> Term {
        if id >= IDSpace.extensionBase { return self.extensionTerms[Int(id - IDSpace.extensionBase)] }
        return self.store.term(TermID(raw: id))
    }

    /// The identifier of a term: the store's if it has one, else an extension identifier (so identical terms always
    /// get identical identifiers and joins stay correct).
    func intern(_ term: Term) -> UInt32 {
        if let id = self.store.id(of: term) { return id.raw }
        if let id = self.extensionIDs[term] { return id }
        let id = IDSpace.extensionBase + UInt32(self.extensionTerms.count)
        self.extensionTerms.append(term)
        self.extensionIDs[term] = id
        return id
    }

    /// The identifier of a term if one exists (store or extension), without creating one.
    func existingID(_ term: Term) -> UInt32? {
        if let id = self.store.id(of: term) { return id.raw }
        return self.extensionIDs[term]
    }

    /// The decoded comparison key of an identifier (cached).
    @inline(__always) func key(_ id: UInt32) -> TermKey {
        if let k = self.keys[id] { return k }
        let k = TermKey.of(self.term(id))
        self.keys[id] = k
        return k
    }
}
