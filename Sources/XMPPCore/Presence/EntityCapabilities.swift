import Crypto
import Foundation

extension Namespace {
    /// Entity capabilities (XEP-0115 §4).
    public static let caps = "http://jabber.org/protocol/caps"
    /// Data forms, used for extended disco#info (XEP-0004 §3.1, XEP-0128 §2).
    public static let dataForms = "jabber:x:data"
}

/// The `<c xmlns='http://jabber.org/protocol/caps'/>` element a client attaches to its presence (XEP-0115 §4).
///
/// `ver` names a disco#info result by its hash, so a server asks each distinct `ver` once and caches the answer
/// (``CapsCache``) after recomputing the hash (XEP-0115 §5.4, §6.3).
public struct EntityCapabilities: Sendable, Hashable {
    /// The only hash this implementation computes, the one every implementation must support (XEP-0115 §5.1, §8.4).
    public static let sha1 = "sha-1"

    /// The URI identifying the software, e.g. `http://psi-im.org` (XEP-0115 §4).
    public var node: String
    /// The hash function name from the IANA registry, e.g. `sha-1` (XEP-0115 §4).
    public var hash: String
    /// The base64 verification string (XEP-0115 §4, §5.1).
    public var ver: String

    /// Creates a capabilities element value (XEP-0115 §4).
    public init(node: String, hash: String = EntityCapabilities.sha1, ver: String) {
        self.node = node
        self.hash = hash
        self.ver = ver
    }

    /// Reads the `<c/>` child of a presence stanza; `nil` when absent or in the legacy format without `hash`
    /// (XEP-0115 §4; legacy form per §9.1 is not cached).
    public init?(_ presence: XMLElement) {
        guard let c = presence.child(named: "c", namespace: Namespace.caps),
            let node = c[attribute: "node"], !node.isEmpty,
            let hash = c[attribute: "hash"], !hash.isEmpty,
            let ver = c[attribute: "ver"], !ver.isEmpty
        else { return nil }
        self.init(node: node, hash: hash, ver: ver)
    }

    /// The `<c/>` element (XEP-0115 §4).
    public func makeElement() -> XMLElement {
        XMLElement(
            name: "c", namespace: Namespace.caps,
            attributes: ["hash": self.hash, "node": self.node, "ver": self.ver])
    }

    /// The `node#ver` string a disco#info query for these capabilities names (XEP-0115 §6.2).
    public var discoNode: String { "\(self.node)#\(self.ver)" }

    /// The SHA-1 verification string of a disco#info `<query/>` (XEP-0115 §5.1).
    ///
    /// Throws bad-request when the result is ill-formed per XEP-0115 §5.4 step 3: duplicate identities, duplicate
    /// features, two forms with one FORM_TYPE, or a FORM_TYPE with differing values. A form without a hidden
    /// FORM_TYPE is ignored, as §5.4 step 3.6 requires.
    public static func verificationString(for discoInfo: XMLElement) throws(StanzaError) -> String {
        let input = try Self.verificationInput(for: discoInfo)
        let digest = Insecure.SHA1.hash(data: Array(input.utf8))
        return Data(digest).base64EncodedString()
    }

    /// The string S that XEP-0115 §5.1 hashes, before SHA-1 and base64.
    static func verificationInput(for discoInfo: XMLElement) throws(StanzaError) -> String {
        guard discoInfo.name == "query", discoInfo.namespace == Namespace.discoInfo else {
            throw StanzaError(.badRequest, text: "expected <query xmlns='\(Namespace.discoInfo)'/>")
        }
        var output = ""
        // Steps 1–4: identities, sorted by category, type, xml:lang, name (i;octet).
        let identities = discoInfo.children(named: "identity", namespace: Namespace.discoInfo).map { element in
            [
                element[attribute: "category"] ?? "", element[attribute: "type"] ?? "",
                element[attribute: "xml:lang"] ?? "", element[attribute: "name"] ?? "",
            ]
        }
        guard Set(identities).count == identities.count else {
            throw StanzaError(.badRequest, text: "duplicate disco#info identity (XEP-0115 §5.4)")
        }
        for identity in identities.sorted(by: { Self.octetLess($0, $1) }) {
            output += identity.joined(separator: "/") + "<"
        }
        // Steps 5–6: features, sorted.
        let features = discoInfo.children(named: "feature", namespace: Namespace.discoInfo).map {
            $0[attribute: "var"] ?? ""
        }
        guard Set(features).count == features.count else {
            throw StanzaError(.badRequest, text: "duplicate disco#info feature (XEP-0115 §5.4)")
        }
        for feature in features.sorted(by: { Self.octetLess([$0], [$1]) }) {
            output += feature + "<"
        }
        // Steps 7–8: extended forms (XEP-0128), sorted by FORM_TYPE.
        var forms: [String: String] = [:]
        for form in discoInfo.children(named: "x", namespace: Namespace.dataForms) {
            guard let (formType, text) = try Self.formInput(form) else { continue }
            guard forms.updateValue(text, forKey: formType) == nil else {
                throw StanzaError(.badRequest, text: "two extended forms with FORM_TYPE '\(formType)' (XEP-0115 §5.4)")
            }
        }
        for formType in forms.keys.sorted(by: { Self.octetLess([$0], [$1]) }) {
            output += forms[formType] ?? ""
        }
        return output
    }

    /// One form's contribution, keyed by FORM_TYPE; `nil` when it has no hidden FORM_TYPE (XEP-0115 §5.1 step 8,
    /// §5.4 steps 3.5–3.6).
    private static func formInput(_ form: XMLElement) throws(StanzaError) -> (String, String)? {
        let fields = form.children(named: "field", namespace: Namespace.dataForms)
        guard let typeField = fields.first(where: { $0[attribute: "var"] == "FORM_TYPE" }),
            typeField[attribute: "type"] == "hidden"
        else { return nil }
        let typeValues = Set(typeField.children(named: "value", namespace: Namespace.dataForms).map(\.text))
        guard typeValues.count <= 1 else {
            throw StanzaError(.badRequest, text: "FORM_TYPE with differing values (XEP-0115 §5.4)")
        }
        guard let formType = typeValues.first else { return nil }
        var text = formType + "<"
        let others = fields.filter { $0[attribute: "var"] != "FORM_TYPE" }
            .sorted { Self.octetLess([$0[attribute: "var"] ?? ""], [$1[attribute: "var"] ?? ""]) }
        for field in others {
            text += (field[attribute: "var"] ?? "") + "<"
            let values = field.children(named: "value", namespace: Namespace.dataForms).map(\.text)
            for value in values.sorted(by: { Self.octetLess([$0], [$1]) }) {
                text += value + "<"
            }
        }
        return (formType, text)
    }

    /// Lexicographic comparison of string tuples by UTF-8 bytes: the "i;octet" collation (XEP-0115 §5.1, RFC 4790
    /// §9.3).
    private static func octetLess(_ lhs: [String], _ rhs: [String]) -> Bool {
        for (left, right) in zip(lhs, rhs) where left != right {
            return left.utf8.lexicographicallyPrecedes(right.utf8)
        }
        return lhs.count < rhs.count
    }

    /// The PEP nodes an entity wants notifications for: `N` for each feature `N+notify` (XEP-0163 §4, XEP-0060
    /// §9.2 filtered notifications).
    public static func notifyNodes(from features: [String]) -> Set<String> {
        let suffix = "+notify"
        var nodes: Set<String> = []
        for feature in features where feature.hasSuffix(suffix) && feature.count > suffix.count {
            nodes.insert(String(feature.dropLast(suffix.count)))
        }
        return nodes
    }
}
