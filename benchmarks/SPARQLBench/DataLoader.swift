import Foundation
import RDF

/// Loads a data file into a store: N-Quads (`.nq`, graphs as written), N-Triples (`.nt`) or Turtle (`.ttl`).
///
/// N-Triples and N-Quads are read in blocks cut at line ends, so the file is never in memory whole; every quad goes
/// straight into `QuadStore.insert(streaming:)`. With a cloud prefix (`--graph-per-cloud` = `xmpp:`), triples of
/// N-Triples/Turtle data are put in the named graph of their subject when its IRI has the prefix (the graph is the
/// IRI without its fragment, so `xmpp:NAME@D#service1` is in `<xmpp:NAME@D>`), blank nodes following the graph of
/// the triple that first references them, the rest in the default graph.
struct DataLoader {
    var path: String
    var cloudPrefix: String?

    func load(into store: inout QuadStore) throws {
        let lower = self.path.lowercased()
        var assigner = self.cloudPrefix.map { CloudGraphAssigner(prefix: $0) }
        try store.insert(streaming: { (add: (Quad) -> Void) throws in
            if lower.hasSuffix(".nq") {
                try Self.forEachBlock(self.path) { bytes, firstLine throws(RDFError) in
                    try NQuadsParser().parse(utf8: bytes, firstLine: firstLine, add)
                }
            } else if lower.hasSuffix(".nt") {
                try Self.forEachBlock(self.path) { bytes, firstLine throws(RDFError) in
                    try NTriplesParser().parse(utf8: bytes, firstLine: firstLine) { triple in
                        if assigner != nil { assigner!.assign(triple, add) } else { add(Quad(triple)) }
                    }
                }
            } else if lower.hasSuffix(".ttl") {
                var bytes = try Self.readAll(self.path)
                let base = "file://" + URL(fileURLWithPath: self.path).standardizedFileURL.path
                let result = bytes.withUnsafeBufferPointer { buffer in
                    Result { () throws(RDFError) in
                        try TurtleParser(baseIRI: base).parse(utf8: buffer) { triple in
                            if assigner != nil { assigner!.assign(triple, add) } else { add(Quad(triple)) }
                        }
                    }
                }
                bytes = []
                try result.get()
            } else {
                throw BenchError("unknown data format (want .nq, .nt or .ttl): \(self.path)")
            }
            assigner?.finish(add)
        })
    }

    /// Calls `body` with successive blocks of whole lines and the number of each block's first line.
    static func forEachBlock(
        _ path: String, _ body: (UnsafeBufferPointer<UInt8>, Int) throws(RDFError) -> Void
    ) throws {
        guard let file = fopen(path, "rb") else { throw BenchError("cannot open \(path)") }
        defer { fclose(file) }
        let blockSize = 8 << 20
        var buffer = [UInt8](repeating: 0, count: blockSize)
        var used = 0
        var line = 1
        while true {
            if used == buffer.count { buffer += [UInt8](repeating: 0, count: buffer.count) }  // a very long line
            let read = buffer.withUnsafeMutableBufferPointer { fread($0.baseAddress! + used, 1, $0.count - used, file) }
            used += read
            let atEnd = read == 0
            let cut = atEnd ? used : (buffer[..<used].lastIndex(of: 0x0A).map { $0 + 1 } ?? 0)
            if cut > 0 {
                try buffer.withUnsafeBufferPointer { all throws(RDFError) in
                    try body(UnsafeBufferPointer(rebasing: all[..<cut]), line)
                }
                line += buffer[..<cut].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
                buffer.replaceSubrange(0..<cut, with: [])
                buffer += [UInt8](repeating: 0, count: cut)
                used -= cut
            }
            if atEnd { return }
        }
    }

    static func readAll(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else { throw BenchError("cannot read \(path)") }
        return [UInt8](data)
    }
}

/// Puts each cloud's triples into the named graph of the cloud's IRI (see `DataLoader`).
struct CloudGraphAssigner {
    let prefix: String
    /// The graph of each blank node reached from a cloud.
    private var owners: [String: Term] = [:]
    /// Triples about blank nodes not reached yet, by label.
    private var pending: [String: [Triple]] = [:]

    init(prefix: String) { self.prefix = prefix }

    mutating func assign(_ triple: Triple, _ add: (Quad) -> Void) {
        switch triple.subject {
        case .iri(let iri) where iri.hasPrefix(self.prefix):
            // The cloud's own resources (`xmpp:NAME@D#service1`) belong to the cloud's graph.
            let cloud = iri.firstIndex(of: "#").map { String(iri[..<$0]) } ?? iri
            self.emit(triple, graph: .iri(cloud), add)
        case .blank(let label):
            if let graph = self.owners[label] {
                self.emit(triple, graph: graph, add)
            } else {
                self.pending[label, default: []].append(triple)
            }
        default:
            add(Quad(triple))
        }
    }

    /// Adds the triples whose owner never showed up to the default graph.
    mutating func finish(_ add: (Quad) -> Void) {
        for triples in self.pending.values { for triple in triples { add(Quad(triple)) } }
        self.pending = [:]
    }

    private mutating func emit(_ triple: Triple, graph: Term, _ add: (Quad) -> Void) {
        var work = [triple]
        while let t = work.popLast() {
            add(Quad(t, graph: .named(graph)))
            if case .blank(let label) = t.object, self.owners[label] == nil {
                self.owners[label] = graph
                work += self.pending.removeValue(forKey: label) ?? []
            }
        }
    }
}

/// A fatal benchmark error (bad arguments, unreadable files).
struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
