extension RegexMatcher {
    /// Parses the supported regular-expression syntax into nodes.
    struct Parser {
        let scalars: [Unicode.Scalar]
        var position = 0

        var current: Unicode.Scalar? { self.position < self.scalars.count ? self.scalars[self.position] : nil }

        mutating func parseAlternatives() -> [[Node]]? {
            var alternatives: [[Node]] = []
            var seq: [Node] = []
            while let c = self.current {
                if c == "|" {
                    self.position += 1
                    alternatives.append(seq)
                    seq = []
                    continue
                }
                if c == ")" { break }
                guard var atom = self.parseAtom() else { return nil }
                if let (min, max, greedy) = self.parseQuantifier() {
                    switch atom {
                    case .start, .end: return nil
                    default: atom = .repeated(atom, min: min, max: max, greedy: greedy)
                    }
                } else if self.current == "{" {
                    return nil
                }
                seq.append(atom)
            }
            alternatives.append(seq)
            return alternatives
        }

        mutating func parseQuantifier() -> (Int, Int, Bool)? {
            guard let c = self.current else { return nil }
            var min = 0
            var max = Int.max
            switch c {
            case "?": max = 1
            case "*": break
            case "+": min = 1
            case "{":
                var i = self.position + 1
                func number(_ i: inout Int) -> Int? {
                    var n: Int?
                    while i < self.scalars.count, let d = Int(String(self.scalars[i])), self.scalars[i].isASCII {
                        n = (n ?? 0) * 10 + d
                        if n! > 10_000 { return nil }
                        i += 1
                    }
                    return n
                }
                guard let lower = number(&i) else { return nil }
                min = lower
                max = lower
                if i < self.scalars.count && self.scalars[i] == "," {
                    i += 1
                    max = number(&i) ?? Int.max
                }
                guard i < self.scalars.count, self.scalars[i] == "}", min <= max else { return nil }
                self.position = i
            default: return nil
            }
            self.position += 1
            var greedy = true
            if self.current == "?" {
                greedy = false
                self.position += 1
            }
            return (min, max, greedy)
        }

        mutating func parseAtom() -> Node? {
            guard let c = self.current else { return nil }
            self.position += 1
            switch c {
            case ".": return .any
            case "^": return .start
            case "$": return .end
            case "(":
                if self.current == "?" {
                    guard self.position + 1 < self.scalars.count, self.scalars[self.position + 1] == ":" else {
                        return nil
                    }
                    self.position += 2
                }
                guard let inner = self.parseAlternatives(), self.current == ")" else { return nil }
                self.position += 1
                return .group(inner)
            case "[": return self.parseClass()
            case "\\": return self.parseEscape(inClass: false).map { $0 }
            case "*", "+", "?", "{", "}", "]", ")", "|": return nil
            default: return .char(c)
            }
        }

        /// `\x` outside or inside a class.
        mutating func parseEscape(inClass: Bool) -> Node? {
            guard let e = self.current else { return nil }
            self.position += 1
            switch e {
            case "n": return .char("\n")
            case "r": return .char("\r")
            case "t": return .char("\t")
            case "\\", "|", ".", "-", "^", "?", "*", "+", "{", "}", "(", ")", "[", "]", "$": return .char(e)
            case "d", "D", "s", "S", "w", "W":
                var set = CharacterSet()
                switch e {
                case "d", "D": set.classes = [{ $0.properties.numericType == .decimal }]
                case "s", "S": set.ranges = [0x20...0x20, 0x9...0xA, 0xD...0xD]
                default:
                    set.classes = [
                        { c in
                            switch c.properties.generalCategory {
                            case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
                                .initialPunctuation, .finalPunctuation, .otherPunctuation, .spaceSeparator,
                                .lineSeparator, .paragraphSeparator, .control, .format, .surrogate, .privateUse,
                                .unassigned:
                                return false
                            default: return true
                            }
                        }
                    ]
                }
                set.negated = e == "D" || e == "S" || e == "W"
                return .set(set)
            default: return nil
            }
        }

        mutating func parseClass() -> Node? {
            var set = CharacterSet()
            if self.current == "^" {
                set.negated = true
                self.position += 1
            }
            var first = true
            while let c = self.current, c != "]" || first {
                first = false
                self.position += 1
                var low: Unicode.Scalar
                if c == "\\" {
                    guard let node = self.parseEscape(inClass: true) else { return nil }
                    switch node {
                    case .char(let x): low = x
                    case .set(let inner):
                        guard !inner.negated else { return nil }
                        set.ranges += inner.ranges
                        set.classes += inner.classes
                        continue
                    default: return nil
                    }
                } else if c == "[" {
                    return nil
                } else if c == "-" && self.current == "[" {
                    return nil  // class subtraction
                } else {
                    low = c
                }
                if self.current == "-", self.position + 1 < self.scalars.count, self.scalars[self.position + 1] != "]" {
                    self.position += 1
                    guard var high = self.current else { return nil }
                    self.position += 1
                    if high == "\\" {
                        guard case .char(let x)? = self.parseEscape(inClass: true) else { return nil }
                        high = x
                    } else if high == "[" {
                        return nil
                    }
                    guard low.value <= high.value else { return nil }
                    set.ranges.append(low.value...high.value)
                } else {
                    set.ranges.append(low.value...low.value)
                }
            }
            guard self.current == "]" else { return nil }
            self.position += 1
            return .set(set)
        }
    }
}
