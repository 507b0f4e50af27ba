import Crypto
import RDF

extension SPARQLFunctions {
    /// `MD5`, `SHA1`, `SHA256`, `SHA384`, `SHA512` (SPARQL 1.1 §17.4.6): the lower-case hex digest of the UTF-8
    /// bytes of a simple literal or `xsd:string`; language-tagged strings and other terms are type errors.
    static func hash(_ function: BuiltinFunction, _ argument: Term) throws(ExpressionError) -> Term {
        let bytes = Array(try self.simpleString(argument, of: function.rawValue.uppercased()).utf8)
        switch function {
        case .md5: return .string(self.hexDigest(Insecure.MD5.hash(data: bytes)))
        case .sha1: return .string(self.hexDigest(Insecure.SHA1.hash(data: bytes)))
        case .sha256: return .string(self.hexDigest(SHA256.hash(data: bytes)))
        case .sha384: return .string(self.hexDigest(SHA384.hash(data: bytes)))
        default: return .string(self.hexDigest(SHA512.hash(data: bytes)))
        }
    }

    private static func hexDigest<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        let digits = Array("0123456789abcdef".unicodeScalars)
        var scalars = String.UnicodeScalarView()
        for byte in digest {
            scalars.append(digits[Int(byte >> 4)])
            scalars.append(digits[Int(byte & 0x0F)])
        }
        return String(scalars)
    }
}
