extension RegexMatcher {
    /// Emits the program for a parsed pattern.
    struct Compiler {
        let caseInsensitive: Bool
        let dotAll: Bool
        var code: [Instruction] = []
        var sets: [CharacterSet] = []

        init(caseInsensitive: Bool, dotAll: Bool) {
            self.caseInsensitive = caseInsensitive
            self.dotAll = dotAll
        }

        static func nullable(_ node: Node) -> Bool {
            switch node {
            case .char, .any, .set: return false
            case .start, .end: return true
            case .group(let alternatives): return alternatives.contains { $0.allSatisfy(Self.nullable) }
            case .repeated(let inner, let min, _, _): return min == 0 || Self.nullable(inner)
            }
        }

        mutating func emit(_ alternatives: [[Node]]) -> Bool {
            if alternatives.count == 1 { return self.emit(sequence: alternatives[0]) }
            var jumps: [Int] = []
            for (k, alternative) in alternatives.enumerated() {
                if k < alternatives.count - 1 {
                    let split = self.code.count
                    self.code.append(.split(split + 1, 0))
                    guard self.emit(sequence: alternative) else { return false }
                    jumps.append(self.code.count)
                    self.code.append(.jump(0))
                    self.code[split] = .split(split + 1, self.code.count)
                } else {
                    guard self.emit(sequence: alternative) else { return false }
                }
                if self.code.count > 20_000 { return false }
            }
            for j in jumps { self.code[j] = .jump(self.code.count) }
            return true
        }

        mutating func emit(sequence: [Node]) -> Bool {
            for node in sequence where !self.emit(node) { return false }
            return true
        }

        mutating func emit(_ node: Node) -> Bool {
            switch node {
            case .char(let c):
                self.code.append(self.caseInsensitive ? .charFolded(RegexMatcher.fold(c.value)) : .char(c.value))
            case .any: self.code.append(self.dotAll ? .anyOrNewline : .any)
            case .set(let set):
                self.sets.append(set)
                self.code.append(.set(self.sets.count - 1))
            case .start: self.code.append(.start)
            case .end: self.code.append(.end)
            case .group(let alternatives): return self.emit(alternatives)
            case .repeated(let inner, let min, let max, let greedy):
                for _ in 0..<min where !self.emit(inner) { return false }
                if max == Int.max {
                    guard !Self.nullable(inner) else { return false }
                    let loop = self.code.count
                    self.code.append(.split(0, 0))
                    guard self.emit(inner) else { return false }
                    self.code.append(.jump(loop))
                    let exit = self.code.count
                    self.code[loop] = greedy ? .split(loop + 1, exit) : .split(exit, loop + 1)
                } else {
                    var splits: [Int] = []
                    for _ in min..<max {
                        splits.append(self.code.count)
                        self.code.append(.split(0, 0))
                        guard self.emit(inner) else { return false }
                        if self.code.count > 20_000 { return false }
                    }
                    let exit = self.code.count
                    for s in splits { self.code[s] = greedy ? .split(s + 1, exit) : .split(exit, s + 1) }
                }
            }
            return self.code.count <= 20_000
        }
    }
}
