/// Resolves IRI references against a base IRI (RFC 3986 §5.2, as Turtle §6.3 requires for relative IRIs).
///
/// References that already have a scheme are returned unchanged (they are IRIs, not relative references).
public struct IRIResolver: Sendable, Equatable {
    /// The base IRI.
    public let base: String
    private let components: IRIComponents

    /// A resolver for an absolute base IRI; nil if `base` has no scheme (RFC 3986 §5.1 needs an absolute base).
    public init?(base: String) {
        let parts = IRIComponents(Array(base.utf8))
        guard parts.scheme != nil else { return nil }
        self.base = base
        self.components = parts
    }

    /// Whether `iri` starts with a scheme (`ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":"`, RFC 3986 §3.1).
    public static func hasScheme(_ iri: String) -> Bool {
        var utf8 = iri.utf8.makeIterator()
        guard let first = utf8.next(), ASCII.isLetter(first) else { return false }
        while let b = utf8.next() {
            if b == ASCII.colon { return true }
            guard ASCII.isLetter(b) || ASCII.isDigit(b) || b == ASCII.plus || b == ASCII.minus || b == ASCII.dot
            else { return false }
        }
        return false
    }

    /// The target IRI of a reference (RFC 3986 §5.2.2, strict: a reference with a scheme is kept as is).
    public func resolve(_ reference: String) -> String {
        if Self.hasScheme(reference) { return reference }
        let r = IRIComponents(Array(reference.utf8))
        let base = self.components
        var t = IRIComponents()
        t.scheme = base.scheme
        if r.authority != nil {
            t.authority = r.authority
            t.path = Self.removeDotSegments(r.path)
            t.query = r.query
        } else {
            t.authority = base.authority
            if r.path.isEmpty {
                t.path = base.path
                t.query = r.query ?? base.query
            } else {
                t.path = Self.removeDotSegments(r.path.first == ASCII.slash ? r.path : Self.merge(base, r.path))
                t.query = r.query
            }
        }
        t.fragment = r.fragment
        return t.recomposed
    }

    /// Merges a relative path with the base path (RFC 3986 §5.2.3).
    private static func merge(_ base: IRIComponents, _ path: [UInt8]) -> [UInt8] {
        if base.authority != nil && base.path.isEmpty { return [ASCII.slash] + path }
        guard let slash = base.path.lastIndex(of: ASCII.slash) else { return path }
        return Array(base.path[...slash]) + path
    }

    /// Removes `.` and `..` segments (RFC 3986 §5.2.4).
    static func removeDotSegments(_ path: [UInt8]) -> [UInt8] {
        var input = path
        var i = 0
        var output: [UInt8] = []
        func rest(is text: String) -> Bool { input[i...].elementsEqual(text.utf8) }
        func rest(startsWith text: String) -> Bool { input[i...].starts(with: text.utf8) }
        func dropLastSegment() {
            if let slash = output.lastIndex(of: ASCII.slash) { output.removeSubrange(slash...) } else { output = [] }
        }
        while i < input.count {
            if rest(startsWith: "../") {
                i += 3
            } else if rest(startsWith: "./") || rest(startsWith: "/./") {
                i += 2
            } else if rest(is: "/.") {
                i += 1
                input[i] = ASCII.slash
            } else if rest(startsWith: "/../") {
                i += 3
                dropLastSegment()
            } else if rest(is: "/..") {
                i += 2
                input[i] = ASCII.slash
                dropLastSegment()
            } else if rest(is: ".") || rest(is: "..") {
                i = input.count
            } else {
                var j = i
                if input[j] == ASCII.slash { j += 1 }
                while j < input.count && input[j] != ASCII.slash { j += 1 }
                output.append(contentsOf: input[i..<j])
                i = j
            }
        }
        return output
    }
}

/// The five components of a URI reference (RFC 3986 Appendix B), as UTF-8 bytes.
struct IRIComponents: Sendable, Equatable {
    /// The scheme without ":".
    var scheme: [UInt8]?
    /// The authority without "//".
    var authority: [UInt8]?
    /// The path (possibly empty).
    var path: [UInt8] = []
    /// The query without "?".
    var query: [UInt8]?
    /// The fragment without "#".
    var fragment: [UInt8]?

    /// An empty reference.
    init() {}

    /// Splits a reference (`^(([^:/?#]+):)?(//([^/?#]*))?([^?#]*)(\?([^#]*))?(#(.*))?`).
    init(_ bytes: [UInt8]) {
        var i = 0
        if let colon = bytes.firstIndex(where: {
            $0 == ASCII.colon || $0 == ASCII.slash || $0 == ASCII.question
                || $0 == ASCII.hash
        }), bytes[colon] == ASCII.colon, colon > 0 {
            self.scheme = Array(bytes[..<colon])
            i = colon + 1
        }
        if bytes[i...].starts(with: [ASCII.slash, ASCII.slash]) {
            let start = i + 2
            var end = start
            while end < bytes.count && bytes[end] != ASCII.slash && bytes[end] != ASCII.question
                && bytes[end] != ASCII.hash
            {
                end += 1
            }
            self.authority = Array(bytes[start..<end])
            i = end
        }
        var end = i
        while end < bytes.count && bytes[end] != ASCII.question && bytes[end] != ASCII.hash { end += 1 }
        self.path = Array(bytes[i..<end])
        i = end
        if i < bytes.count && bytes[i] == ASCII.question {
            end = i + 1
            while end < bytes.count && bytes[end] != ASCII.hash { end += 1 }
            self.query = Array(bytes[(i + 1)..<end])
            i = end
        }
        if i < bytes.count && bytes[i] == ASCII.hash { self.fragment = Array(bytes[(i + 1)...]) }
    }

    /// The reference as a string (RFC 3986 §5.3).
    var recomposed: String {
        var out: [UInt8] = []
        if let scheme { out += scheme + [ASCII.colon] }
        if let authority { out += [ASCII.slash, ASCII.slash] + authority }
        out += self.path
        if let query { out += [ASCII.question] + query }
        if let fragment { out += [ASCII.hash] + fragment }
        return String(decoding: out, as: UTF8.self)
    }
}
