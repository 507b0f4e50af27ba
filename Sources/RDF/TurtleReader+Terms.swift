extension TurtleReader {
    /// `subject` (Turtle §6.5 [10]): an IRI, a blank node or a collection.
    mutating func readSubject() throws(RDFError) -> Term {
        switch self.lexer.peek() {
        case ASCII.lessThan: return .iri(try self.readIRIRef())
        case ASCII.underscore: return try self.readBlankNode()
        case ASCII.openParen: return try self.collection()
        default:
            let start = self.lexer.position
            if let iri = try self.readPrefixedName() { return .iri(iri) }
            throw self.lexer.error(
                "expected a subject (IRI, prefixed name or blank node)\(self.lexer.foundDescription)", at: start)
        }
    }

    /// `verb` (Turtle §6.5 [9]): an IRI or `a`.
    mutating func readVerb() throws(RDFError) -> Term {
        let b = self.lexer.peek()
        if b == ASCII.lessThan { return .iri(try self.readIRIRef()) }
        if b == 0x61 && !self.isNameContinuation(at: self.lexer.position + 1) {
            self.lexer.position += 1
            return Self.rdfType
        }
        if let iri = try self.readPrefixedName() { return .iri(iri) }
        throw self.lexer.error("expected a predicate (IRI, prefixed name or 'a')\(self.lexer.foundDescription)")
    }

    /// `object` (Turtle §6.5 [12]): an IRI, blank node, collection, blank node property list or literal.
    mutating func readObject() throws(RDFError) -> Term {
        let b = self.lexer.peek()
        switch b {
        case ASCII.lessThan: return .iri(try self.readIRIRef())
        case ASCII.underscore: return try self.readBlankNode()
        case ASCII.openBracket: return self.skipAnon() ? self.newBlankNode() : try self.blankNodePropertyList()
        case ASCII.openParen: return try self.collection()
        case ASCII.quote, ASCII.apostrophe: return try self.readLiteral()
        case ASCII.plus, ASCII.minus, ASCII.zero...ASCII.nine: return try self.readNumber()
        case ASCII.dot where ASCII.isDigit(self.lexer.peek(1)): return try self.readNumber()
        default:
            let start = self.lexer.position
            if let iri = try self.readPrefixedName() { return .iri(iri) }
            for (word, value) in [("true", true), ("false", false)]
            where self.lexer.bytes[start...].starts(with: word.utf8) {
                if !self.isNameContinuation(at: start + word.utf8.count) {
                    self.lexer.position = start + word.utf8.count
                    return .boolean(value)
                }
            }
            throw self.lexer.error("expected an object (IRI, blank node or literal)\(self.lexer.foundDescription)")
        }
    }

    /// Whether the character at `offset` would continue a name (so `a`/`true`/`false` before it are not keywords).
    private func isNameContinuation(at offset: Int) -> Bool {
        guard offset < self.lexer.bytes.count else { return false }
        let value = self.lexer.scalar(at: offset).value
        return NameChars.isChar(value) || value == 0x3A || value == 0x2E && self.isNameContinuation(at: offset + 1)
    }

    /// An IRIREF, resolved against the base (Turtle §6.3).
    mutating func readIRIRef() throws(RDFError) -> String {
        let start = self.lexer.position
        let reference = try self.lexer.readIRIRef()
        if IRIResolver.hasScheme(reference) { return reference }
        guard let resolver = self.resolver else {
            throw self.lexer.error("relative IRI <\(reference)> but no base IRI", at: start, code: .badIRI)
        }
        return resolver.resolve(reference)
    }

    /// An IRIREF or prefixed name (Turtle §6.5 [135s]).
    private mutating func readIRI() throws(RDFError) -> String {
        if self.lexer.peek() == ASCII.lessThan { return try self.readIRIRef() }
        if let iri = try self.readPrefixedName() { return iri }
        throw self.lexer.error("expected an IRI\(self.lexer.foundDescription)")
    }

    private mutating func readBlankNode() throws(RDFError) -> Term {
        guard self.lexer.peek(1) == ASCII.colon else { throw self.lexer.error("expected '_:' starting a blank node") }
        return self.blankNode(label: try self.lexer.readBlankNodeLabel())
    }

    /// RDFLiteral (Turtle §6.5 [128s]): a string with an optional language tag or datatype.
    private mutating func readLiteral() throws(RDFError) -> Term {
        let value = try self.lexer.readString(allowLong: true)
        let afterString = self.lexer.position
        self.lexer.skipWhitespace()
        if self.lexer.peek() == ASCII.at {
            return .literal(Literal(value, language: try self.lexer.readLanguageTag()))
        }
        if self.lexer.peek() == ASCII.caret && self.lexer.peek(1) == ASCII.caret {
            self.lexer.position += 2
            self.lexer.skipWhitespace()
            let datatype = try self.readIRI()
            if let shared = self.datatypes[datatype] { return .literal(Literal(value, datatype: shared)) }
            if self.datatypes.count < 256 { self.datatypes[datatype] = datatype }
            return .literal(Literal(value, datatype: datatype))
        }
        self.lexer.position = afterString
        return .string(value)
    }

    /// NumericLiteral (Turtle §6.5 [16], [19]–[21]): the lexical form with type integer, decimal or double.
    private mutating func readNumber() throws(RDFError) -> Term {
        let start = self.lexer.position
        if self.lexer.peek() == ASCII.plus || self.lexer.peek() == ASCII.minus { self.lexer.position += 1 }
        let integerStart = self.lexer.position
        while ASCII.isDigit(self.lexer.peek()) { self.lexer.position += 1 }
        let integerDigits = self.lexer.position - integerStart
        var datatype = XSD.integer
        // A '.' belongs to the number only if digits or an exponent follow; otherwise it ends the statement.
        if self.lexer.peek() == ASCII.dot
            && (ASCII.isDigit(self.lexer.peek(1)) || (integerDigits > 0 && self.isExponent(at: 1)))
        {
            self.lexer.position += 1
            datatype = XSD.decimal
            while ASCII.isDigit(self.lexer.peek()) { self.lexer.position += 1 }
        }
        if self.isExponent(at: 0) {
            datatype = XSD.double
            self.lexer.position += 1
            if self.lexer.peek() == ASCII.plus || self.lexer.peek() == ASCII.minus { self.lexer.position += 1 }
            while ASCII.isDigit(self.lexer.peek()) { self.lexer.position += 1 }
        } else if self.lexer.peek() | 0x20 == ASCII.lowerE {
            throw self.lexer.error("malformed exponent")
        }
        if integerDigits == 0 && datatype == XSD.integer { throw self.lexer.error("expected digits", at: start) }
        return .literal(Literal(self.lexer.string(start..<self.lexer.position), datatype: datatype))
    }

    /// Whether an EXPONENT (`[eE] [+-]? [0-9]+`) starts at `position + offset`.
    private func isExponent(at offset: Int) -> Bool {
        guard self.lexer.peek(offset) | 0x20 == ASCII.lowerE else { return false }
        let sign = self.lexer.peek(offset + 1)
        return ASCII.isDigit(sign)
            || ((sign == ASCII.plus || sign == ASCII.minus) && ASCII.isDigit(self.lexer.peek(offset + 2)))
    }

    /// PN_PREFIX (Turtle §6.5 [167s]), possibly empty; stops before a trailing '.'.
    mutating func readPrefixName() -> String {
        let start = self.lexer.position
        guard !self.lexer.atEnd else { return "" }
        let (first, length) = self.lexer.scalar(at: start)
        guard NameChars.isBase(first) else { return "" }
        self.lexer.position += length
        var end = self.lexer.position
        while !self.lexer.atEnd {
            let (value, length) = self.lexer.scalar(at: self.lexer.position)
            if NameChars.isChar(value) {
                self.lexer.position += length
                end = self.lexer.position
            } else if value == 0x2E {
                self.lexer.position += 1
            } else {
                break
            }
        }
        self.lexer.position = end
        return self.lexer.string(start..<end)
    }

    /// A prefixed name (PNAME_LN or PNAME_NS, Turtle §6.5 [136s]) expanded to an IRI; nil (nothing consumed) if the
    /// next token is not one.
    mutating func readPrefixedName() throws(RDFError) -> String? {
        let start = self.lexer.position
        let prefix = self.readPrefixName()
        guard self.lexer.peek() == ASCII.colon else {
            self.lexer.position = start
            return nil
        }
        self.lexer.position += 1
        guard let namespace = self.prefixes[prefix] else {
            throw self.lexer.error("undefined prefix '\(prefix):'", at: start)
        }
        return namespace + (try self.readLocalName())
    }
}
