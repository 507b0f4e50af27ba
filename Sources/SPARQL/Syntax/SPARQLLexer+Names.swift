/// Variables, blank node labels, prefixed names and keywords (SPARQL 1.1 §19.8 rules [140]–[172]).
extension SPARQLLexer {
    /// VARNAME after the sigil (rule [166]).
    mutating func lexVarName() -> String {
        var name = ""
        while let c = self.peek(), Self.isVarChar(c) {
            name.unicodeScalars.append(c)
            self.position += 1
        }
        return name
    }

    /// BLANK_NODE_LABEL after `_:` (rule [142]).
    mutating func lexBlankLabel() throws(SPARQLError) -> String {
        guard let first = self.peek(), Self.isPNCharsU(first) || Self.isDigit(first) else {
            throw self.error("bad blank node label")
        }
        var end = self.position + 1
        while end < self.scalars.count, Self.isPNChars(self.scalars[end]) || self.scalars[end] == "." { end += 1 }
        while self.scalars[end - 1] == "." { end -= 1 }
        let label = String(String.UnicodeScalarView(self.scalars[self.position..<end]))
        self.position = end
        return label
    }

    /// A prefixed name (rules [140]–[141]) or a keyword.
    mutating func lexNameOrKeyword() throws(SPARQLError) -> Token.Kind {
        let start = self.position
        var end = start
        if self.scalars[start] != ":" {
            end += 1
            while end < self.scalars.count, Self.isPNChars(self.scalars[end]) || self.scalars[end] == "." { end += 1 }
            while self.scalars[end - 1] == "." { end -= 1 }
        }
        if end < self.scalars.count, self.scalars[end] == ":" {
            let prefix = String(String.UnicodeScalarView(self.scalars[start..<end]))
            self.position = end + 1
            return .prefixedName(prefix: prefix, local: try self.lexLocalName())
        }
        // A keyword: letters, digits and '_' only.
        var k = start
        while k < self.scalars.count,
            Self.isASCIILetter(self.scalars[k]) || Self.isDigit(self.scalars[k]) || self.scalars[k] == "_"
        {
            k += 1
        }
        guard k > start else {
            throw self.error("unexpected character '\(self.scalars[start].escaped(asASCII: true))'")
        }
        let word = String(String.UnicodeScalarView(self.scalars[start..<k]))
        self.position = k
        return word == "a" ? .a : .keyword(word.uppercased())
    }

    /// PN_LOCAL after the colon (rule [169]), escapes resolved.
    mutating func lexLocalName() throws(SPARQLError) -> String {
        var value = ""
        var committed = ""  // value up to the last character that may end a local name
        var committedPosition = self.position
        var first = true
        while let c = self.peek() {
            if c == "%" {
                guard let h1 = self.peek(1), let h2 = self.peek(2), Self.hexValue(h1) != nil, Self.hexValue(h2) != nil
                else { throw self.error("bad percent escape in local name") }
                value += "%" + String(Character(h1)) + String(Character(h2))
                self.position += 3
            } else if c == "\\" {
                guard let e = self.peek(1), "_~.-!$&'()*+,;=/?#@%".unicodeScalars.contains(e) else {
                    throw self.error("bad escape in local name")
                }
                value.unicodeScalars.append(e)
                self.position += 2
            } else if c == "." && !first {
                value += "."
                self.position += 1
                continue
            } else if c == ":" || (first ? (Self.isPNCharsU(c) || Self.isDigit(c)) : Self.isPNChars(c)) {
                value.unicodeScalars.append(c)
                self.position += 1
            } else {
                break
            }
            first = false
            committed = value
            committedPosition = self.position
        }
        self.position = committedPosition
        return committed
    }
}
