/// A parsed TOML configuration file, limited to what `intercloud` configuration uses: tables, dotted keys,
/// strings (basic and literal), integers, booleans, floats and single-line arrays of those (TOML 1.0 §Keys,
/// §String, §Integer, §Boolean, §Array, §Table).
///
/// Written here because the only Swift TOML package on this machine (TOMLKit 0.6.0) cannot resolve: its manifest
/// depends on a package that is not available. Anything outside the subset is rejected with the line number,
/// never silently misread.
struct TOMLDocument: Sendable, Equatable {
    /// A TOML value.
    enum Value: Sendable, Equatable {
        case string(String), integer(Int), float(Double), boolean(Bool), array([Value])
    }

    /// A parse failure with its 1-based line.
    struct ParseError: Error, Equatable, CustomStringConvertible {
        var line: Int
        var message: String
        var description: String { "line \(self.line): \(self.message)" }
    }

    /// Values by full dotted key (`limits.max_stanza_size`).
    private(set) var values: [String: Value] = [:]

    /// Parses a document.
    init(parsing text: String) throws(ParseError) {
        var table = ""
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var scanner = TOMLScanner(line: Substring(rawLine), number: index + 1)
            scanner.skipWhitespace()
            if scanner.atEndOrComment { continue }
            if scanner.peek == "[" {
                table = try scanner.tableHeader()
            } else {
                let key = try scanner.key()
                scanner.skipWhitespace()
                try scanner.expect("=")
                scanner.skipWhitespace()
                let value = try scanner.value()
                let full = table.isEmpty ? key : "\(table).\(key)"
                guard self.values[full] == nil else {
                    throw ParseError(line: index + 1, message: "duplicate key \(full)")
                }
                self.values[full] = value
            }
            scanner.skipWhitespace()
            guard scanner.atEndOrComment else { throw scanner.error("unexpected text after the value") }
        }
    }

    /// A string value, or an error naming the key when the type is wrong.
    func string(_ key: String) throws(ParseError) -> String? {
        guard let value = self.values[key] else { return nil }
        guard case .string(let string) = value else { throw ParseError(line: 0, message: "\(key) must be a string") }
        return string
    }

    /// An integer value, or an error naming the key when the type is wrong.
    func integer(_ key: String) throws(ParseError) -> Int? {
        guard let value = self.values[key] else { return nil }
        guard case .integer(let integer) = value else {
            throw ParseError(line: 0, message: "\(key) must be an integer")
        }
        return integer
    }

    /// A boolean value, or an error naming the key when the type is wrong.
    func boolean(_ key: String) throws(ParseError) -> Bool? {
        guard let value = self.values[key] else { return nil }
        guard case .boolean(let boolean) = value else {
            throw ParseError(line: 0, message: "\(key) must be true or false")
        }
        return boolean
    }

    /// Every key present, for rejecting unknown settings.
    var keys: Set<String> { Set(self.values.keys) }
}
