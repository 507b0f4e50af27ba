extension TurtleReader {
    /// PN_LOCAL (Turtle §6.5 [168s]–[172s]) with PN_LOCAL_ESC backslashes removed (percent escapes stay as written);
    /// may be empty. A trailing '.' is left for the statement.
    mutating func readLocalName() throws(RDFError) -> String {
        let start = self.lexer.position
        var end = start
        var escaped = false
        while !self.lexer.atEnd {
            let b = self.lexer.peek()
            if b == ASCII.percent {
                guard ASCII.isHex(self.lexer.peek(1)) && ASCII.isHex(self.lexer.peek(2)) else {
                    throw self.lexer.error("invalid percent escape in a local name")
                }
                self.lexer.position += 3
            } else if b == ASCII.backslash {
                guard Self.isLocalEscape(self.lexer.peek(1)) else {
                    throw self.lexer.error("invalid escape in a local name")
                }
                escaped = true
                self.lexer.position += 2
            } else {
                let (value, length) = self.lexer.scalar(at: self.lexer.position)
                let isFirst = self.lexer.position == start
                if isFirst
                    ? NameChars.isU(value) || value == 0x3A || value &- 0x30 < 10
                    : NameChars.isChar(value) || value == 0x3A
                {
                    self.lexer.position += length
                } else if value == 0x2E && !isFirst {
                    self.lexer.position += 1
                    continue
                } else {
                    break
                }
            }
            end = self.lexer.position
        }
        self.lexer.position = end
        guard escaped else { return self.lexer.string(start..<end) }
        var out: [UInt8] = []
        out.reserveCapacity(end - start)
        var i = start
        while i < end {
            if self.lexer.bytes[i] == ASCII.backslash { i += 1 }
            out.append(self.lexer.bytes[i])
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// PN_LOCAL_ESC characters: `_~.-!$&'()*+,;=/?#@%` (Turtle §6.5 [172s]).
    private static func isLocalEscape(_ b: UInt8) -> Bool {
        switch b {
        case 0x5F, 0x7E, 0x2E, 0x2D, 0x21, 0x24, 0x26, 0x27, 0x28, 0x29, 0x2A, 0x2B, 0x2C, 0x3B, 0x3D, 0x2F, 0x3F, 0x23,
            0x40, 0x25:
            true
        default: false
        }
    }
}
