@testable import RDF

/// RDF graph isomorphism (RDF 1.1 Concepts §3.6): equal up to a bijection between blank nodes.
///
/// Blank nodes are first coloured by iterated neighbourhood hashing; the bijection is then searched among
/// same-coloured nodes only and every candidate is checked exactly, so the answer never depends on a hash collision.
enum GraphIsomorphism {
    static func isIsomorphic(_ a: [Triple], _ b: [Triple]) -> Bool {
        let setA = Set(a)
        let setB = Set(b)
        guard setA.count == setB.count else { return false }
        let groundA = setA.filter { !$0.hasBlank }
        let groundB = setB.filter { !$0.hasBlank }
        guard groundA == groundB else { return false }
        let blankA = Array(setA.subtracting(groundA))
        let blankB = Set(setB.subtracting(groundB))
        let colorsA = self.colors(blankA)
        let colorsB = self.colors(Array(blankB))
        guard colorsA.values.sorted() == colorsB.values.sorted() else { return false }
        let nodesA = colorsA.keys.sorted()
        var mapping: [String: String] = [:]
        var used: Set<String> = []
        func search(_ i: Int) -> Bool {
            if i == nodesA.count {
                return blankA.allSatisfy { blankB.contains($0.renamed(mapping)) }
            }
            let node = nodesA[i]
            for candidate in colorsB.keys.sorted()
            where colorsB[candidate] == colorsA[node] && !used.contains(candidate) {
                mapping[node] = candidate
                used.insert(candidate)
                if search(i + 1) { return true }
                used.remove(candidate)
            }
            mapping[node] = nil
            return false
        }
        return search(0)
    }

    /// A colour per blank node label, refined from the node's triples for a few rounds.
    private static func colors(_ triples: [Triple]) -> [String: Int] {
        var colors: [String: Int] = [:]
        for t in triples {
            for term in [t.subject, t.object] { if case .blank(let label) = term { colors[label] = 0 } }
        }
        for _ in 0..<4 {
            var signatures: [String: [Int]] = colors.mapValues { _ in [] }
            for t in triples {
                func describe(_ term: Term) -> Int {
                    if case .blank(let label) = term { return colors[label]! &* 31 &+ 7 }
                    return term.hashValue
                }
                let p = t.predicate.hashValue
                if case .blank(let s) = t.subject { signatures[s]!.append(Hasher.combine(1, p, describe(t.object))) }
                if case .blank(let o) = t.object { signatures[o]!.append(Hasher.combine(2, p, describe(t.subject))) }
            }
            colors = signatures.mapValues { Hasher.combine(0, $0.sorted().hashValue, 0) }
        }
        return colors
    }
}

extension Hasher {
    fileprivate static func combine(_ a: Int, _ b: Int, _ c: Int) -> Int {
        var hasher = Hasher()
        hasher.combine(a)
        hasher.combine(b)
        hasher.combine(c)
        return hasher.finalize()
    }
}

extension Triple {
    fileprivate var hasBlank: Bool {
        if case .blank = self.subject { return true }
        if case .blank = self.object { return true }
        return false
    }

    fileprivate func renamed(_ mapping: [String: String]) -> Triple {
        func rename(_ term: Term) -> Term {
            if case .blank(let label) = term { return .blank(mapping[label] ?? label) }
            return term
        }
        return Triple(rename(self.subject), self.predicate, rename(self.object))
    }
}
