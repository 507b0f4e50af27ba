import RDF

/// A backtracking matcher for the common subset of XPath regular expressions (XPath Functions 3.1 §5.6.1, XML Schema
/// Part 2 Appendix F): literals, `.`, character classes with ranges and negation, `\d \s \w` and their complements,
/// single-character escapes, groups, alternation, greedy and reluctant quantifiers, `^` / `$`, and the flags
/// `i`, `s`, `m`, `x`. Patterns outside this subset are not compiled (the caller falls back to the full
/// implementation), so supported patterns behave exactly as the specification says.
struct RegexMatcher {
    /// A parsed pattern element.
    indirect enum Node {
        case char(Unicode.Scalar)
        case any
        case set(CharacterSet)
        case start
        case end
        case group([[Node]])
        case repeated(Node, min: Int, max: Int, greedy: Bool)
    }

    /// A character class: ranges, class escapes, negation.
    struct CharacterSet {
        var ranges: [ClosedRange<UInt32>] = []
        var classes: [(Unicode.Scalar) -> Bool] = []
        var negated = false

        func contains(_ c: Unicode.Scalar) -> Bool {
            var hit = false
            for r in self.ranges where r.contains(c.value) {
                hit = true
                break
            }
            if !hit {
                for f in self.classes where f(c) {
                    hit = true
                    break
                }
            }
            return hit != self.negated
        }
    }

    /// One instruction of the compiled program (a backtracking machine in the style of Thompson / Pike VMs).
    enum Instruction {
        case char(UInt32)
        case charFolded(UInt32)
        case any
        case anyOrNewline
        case set(Int)
        case start
        case end
        /// Try the first target, backtrack to the second.
        case split(Int, Int)
        case jump(Int)
        case match
    }

    /// The compiled program.
    let program: [Instruction]
    /// The character classes the program refers to.
    let sets: [CharacterSet]
    /// The `i` flag.
    let caseInsensitive: Bool
    /// The `m` flag.
    let multiline: Bool
    /// Whether every match starts at position 0 (the pattern begins with `^` and `m` is off).
    let anchored: Bool

    /// Compiles `pattern` with `flags`; nil when either uses syntax outside the supported subset.
    init?(pattern: String, flags: String) {
        var i = false
        var s = false
        var m = false
        var x = false
        for f in flags {
            switch f {
            case "i": i = true
            case "s": s = true
            case "m": m = true
            case "x": x = true
            default: return nil
            }
        }
        var scalars = Array(pattern.unicodeScalars)
        if x { scalars = Self.stripWhitespace(scalars) }
        var parser = Parser(scalars: scalars)
        guard let alternatives = parser.parseAlternatives(), parser.position == scalars.count else { return nil }
        var compiler = Compiler(caseInsensitive: i, dotAll: s)
        guard compiler.emit(alternatives), compiler.code.count < 20_000 else { return nil }
        compiler.code.append(.match)
        self.program = compiler.code
        self.sets = compiler.sets
        self.caseInsensitive = i
        self.multiline = m
        if case .start = compiler.code.first, !m { self.anchored = true } else { self.anchored = false }
    }

    private static func stripWhitespace(_ p: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        var inClass = false
        var escaped = false
        for c in p {
            if escaped {
                out.append(c)
                escaped = false
                continue
            }
            if c == "\\" { escaped = true }
            if c == "[" { inClass = true }
            if c == "]" { inClass = false }
            if !inClass && (c == " " || c == "\t" || c == "\n" || c == "\r") { continue }
            out.append(c)
        }
        return out
    }

    /// Whether the pattern matches anywhere in `text` (fn:matches); nil if matching gave up (pathological
    /// backtracking), in which case the caller uses the full implementation.
    func matches(_ text: String) -> Bool? {
        var text = text
        return text.withUTF8 { bytes -> Bool? in
            var stack: [(Int, Int)] = []
            var budget = 1_000_000
            if self.anchored { return self.run(bytes, 0, &stack, &budget) }
            var first: UInt8?
            if case .char(let c) = self.program.first, c < 0x80 { first = UInt8(c) }
            var start = 0
            while start <= bytes.count {
                if start < bytes.count && bytes[start] & 0xC0 == 0x80 {
                    start += 1
                    continue
                }
                if let first, start < bytes.count, bytes[start] != first {
                    start += 1
                    continue
                }
                guard let hit = self.run(bytes, start, &stack, &budget) else { return nil }
                if hit { return true }
                start += 1
            }
            return false
        }
    }

    @inline(__always) private static func decode(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> (UInt32, Int) {
        let c0 = UInt32(b[i])
        if c0 < 0x80 { return (c0, 1) }
        if c0 < 0xE0 { return (((c0 & 0x1F) << 6) | UInt32(b[i + 1] & 0x3F), 2) }
        if c0 < 0xF0 {
            return (((c0 & 0x0F) << 12) | (UInt32(b[i + 1] & 0x3F) << 6) | UInt32(b[i + 2] & 0x3F), 3)
        }
        return (
            ((c0 & 0x07) << 18) | (UInt32(b[i + 1] & 0x3F) << 12) | (UInt32(b[i + 2] & 0x3F) << 6)
                | UInt32(b[i + 3] & 0x3F), 4
        )
    }

    /// Simple case folding (to lower case) of a code point.
    @inline(__always) static func fold(_ v: UInt32) -> UInt32 {
        if v < 0x80 { return v >= 0x41 && v <= 0x5A ? v + 32 : v }
        guard let c = Unicode.Scalar(v) else { return v }
        let lower = c.properties.lowercaseMapping.unicodeScalars
        return lower.count == 1 ? lower.first!.value : v
    }

    private func inSet(_ set: CharacterSet, _ v: UInt32) -> Bool {
        guard let c = Unicode.Scalar(v) else { return false }
        if set.contains(c) { return true }
        guard self.caseInsensitive else { return false }
        let lower = Self.fold(v)
        if lower != v, let l = Unicode.Scalar(lower), set.contains(l) { return true }
        let upper = c.properties.uppercaseMapping.unicodeScalars
        return upper.count == 1 && upper.first! != c && set.contains(upper.first!)
    }

    /// Runs the program from `start`; nil when the step budget ran out.
    private func run(
        _ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ stack: inout [(Int, Int)], _ budget: inout Int
    ) -> Bool? {
        stack.removeAll(keepingCapacity: true)
        var pc = 0
        var pos = start
        let n = b.count
        while true {
            budget -= 1
            if budget < 0 { return nil }
            var ok = true
            switch self.program[pc] {
            case .match: return true
            case .char(let c):
                if pos < n {
                    let (v, len) = Self.decode(b, pos)
                    if v == c {
                        pos += len
                        pc += 1
                    } else {
                        ok = false
                    }
                } else {
                    ok = false
                }
            case .charFolded(let c):
                if pos < n {
                    let (v, len) = Self.decode(b, pos)
                    if Self.fold(v) == c {
                        pos += len
                        pc += 1
                    } else {
                        ok = false
                    }
                } else {
                    ok = false
                }
            case .any, .anyOrNewline:
                if pos < n {
                    let (v, len) = Self.decode(b, pos)
                    if case .any = self.program[pc], v == 0x0A || v == 0x0D {
                        ok = false
                    } else {
                        pos += len
                        pc += 1
                    }
                } else {
                    ok = false
                }
            case .set(let k):
                if pos < n {
                    let (v, len) = Self.decode(b, pos)
                    if self.inSet(self.sets[k], v) {
                        pos += len
                        pc += 1
                    } else {
                        ok = false
                    }
                } else {
                    ok = false
                }
            case .start:
                if pos == 0 || (self.multiline && b[pos - 1] == 0x0A) { pc += 1 } else { ok = false }
            case .end:
                if pos == n || (self.multiline && b[pos] == 0x0A) { pc += 1 } else { ok = false }
            case .split(let a, let other):
                stack.append((other, pos))
                pc = a
            case .jump(let a):
                pc = a
            }
            if !ok {
                guard let (p, q) = stack.popLast() else { return false }
                pc = p
                pos = q
            }
        }
    }
}
