import Testing

@testable import XMPPCore

/// Builders for the disco#info results of XEP-0115 §5.2 and §5.3.
enum CapsFixtures {
    static func query(_ identities: [[String: String]], _ features: [String], forms: [XMLElement] = []) -> XMLElement {
        var query = XMLElement(name: "query", namespace: Namespace.discoInfo)
        for identity in identities {
            query.append(XMLElement(name: "identity", namespace: Namespace.discoInfo, attributes: identity))
        }
        for feature in features {
            query.append(XMLElement(name: "feature", namespace: Namespace.discoInfo, attributes: ["var": feature]))
        }
        for form in forms { query.append(form) }
        return query
    }

    static func form(_ fields: [(String, String?, [String])]) -> XMLElement {
        var form = XMLElement(name: "x", namespace: Namespace.dataForms, attributes: ["type": "result"])
        for (name, type, values) in fields {
            var field = XMLElement(name: "field", namespace: Namespace.dataForms, attributes: ["var": name])
            field[attribute: "type"] = type
            for value in values {
                field.append(XMLElement(name: "value", namespace: Namespace.dataForms, children: [.text(value)]))
            }
            form.append(field)
        }
        return form
    }

    static let mucFeatures = [
        "http://jabber.org/protocol/caps", "http://jabber.org/protocol/disco#info",
        "http://jabber.org/protocol/disco#items", "http://jabber.org/protocol/muc",
    ]

    /// XEP-0115 §5.2: Exodus 0.9.1.
    static let simple = query([["category": "client", "name": "Exodus 0.9.1", "type": "pc"]], mucFeatures)

    /// XEP-0115 §5.3: Psi 0.11 with two localised identities and a software-info form.
    static let complex = query(
        [
            ["xml:lang": "en", "category": "client", "name": "Psi 0.11", "type": "pc"],
            ["xml:lang": "el", "category": "client", "name": "Ψ 0.11", "type": "pc"],
        ],
        mucFeatures,
        forms: [
            form([
                ("FORM_TYPE", "hidden", ["urn:xmpp:dataforms:softwareinfo"]),
                ("ip_version", nil, ["ipv4", "ipv6"]),
                ("os", nil, ["Mac"]),
                ("os_version", nil, ["10.5.1"]),
                ("software", nil, ["Psi"]),
                ("software_version", nil, ["0.11"]),
            ])
        ])
}

@Suite struct EntityCapabilitiesTests {
    /// XEP-0115 §5.2: the simple example.
    @Test func simpleExample() throws {
        #expect(
            try EntityCapabilities.verificationInput(for: CapsFixtures.simple)
                == "client/pc//Exodus 0.9.1<http://jabber.org/protocol/caps<http://jabber.org/protocol/disco#info<"
                + "http://jabber.org/protocol/disco#items<http://jabber.org/protocol/muc<")
        #expect(try EntityCapabilities.verificationString(for: CapsFixtures.simple) == "QgayPKawpkPSDYmwT/WM94uAlu0=")
    }

    /// XEP-0115 §5.3: the complex example with an extended form.
    @Test func complexExample() throws {
        #expect(
            try EntityCapabilities.verificationInput(for: CapsFixtures.complex)
                == "client/pc/el/Ψ 0.11<client/pc/en/Psi 0.11<http://jabber.org/protocol/caps<"
                + "http://jabber.org/protocol/disco#info<http://jabber.org/protocol/disco#items<"
                + "http://jabber.org/protocol/muc<urn:xmpp:dataforms:softwareinfo<ip_version<ipv4<ipv6<os<Mac<"
                + "os_version<10.5.1<software<Psi<software_version<0.11<")
        #expect(try EntityCapabilities.verificationString(for: CapsFixtures.complex) == "q07IKJEyjvHSyhy//CH0CxmKi8w=")
    }

    /// XEP-0115 §5.1: input order does not matter.
    @Test func orderIndependent() throws {
        var shuffled = CapsFixtures.complex
        shuffled.children.reverse()
        #expect(try EntityCapabilities.verificationString(for: shuffled) == "q07IKJEyjvHSyhy//CH0CxmKi8w=")
    }

    /// XEP-0115 §5.4 step 3: ill-formed results are rejected; forms without a hidden FORM_TYPE are ignored.
    @Test func processingRules() throws {
        let exodus = ["category": "client", "name": "Exodus 0.9.1", "type": "pc"]
        let features = CapsFixtures.mucFeatures
        let rejected: [XMLElement] = [
            CapsFixtures.query([exodus, exodus], features),
            CapsFixtures.query([exodus], features + [features[0]]),
            CapsFixtures.query(
                [exodus], features,
                forms: [
                    CapsFixtures.form([("FORM_TYPE", "hidden", ["urn:a"])]),
                    CapsFixtures.form([("FORM_TYPE", "hidden", ["urn:a"]), ("x", nil, ["1"])]),
                ]),
            CapsFixtures.query(
                [exodus], features, forms: [CapsFixtures.form([("FORM_TYPE", "hidden", ["urn:a", "urn:b"])])]),
            XMLElement(name: "query", namespace: Namespace.discoItems),
        ]
        for query in rejected {
            #expect(throws: StanzaError.self) { try EntityCapabilities.verificationString(for: query) }
        }
        let ignored = CapsFixtures.query(
            [exodus], features,
            forms: [
                CapsFixtures.form([("os", nil, ["Mac"])]),
                CapsFixtures.form([("FORM_TYPE", nil, ["urn:a"]), ("os", nil, ["Mac"])]),
            ])
        #expect(try EntityCapabilities.verificationString(for: ignored) == "QgayPKawpkPSDYmwT/WM94uAlu0=")
    }

    /// XEP-0115 §4: the `<c/>` element round-trips through a presence stanza.
    @Test func presenceElement() {
        let caps = EntityCapabilities(node: "http://code.google.com/p/exodus", ver: "QgayPKawpkPSDYmwT/WM94uAlu0=")
        #expect(
            caps.makeElement().serialized()
                == "<c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='http://code.google.com/p/exodus'"
                + " ver='QgayPKawpkPSDYmwT/WM94uAlu0='/>")
        var presence = XMLElement(name: "presence", namespace: Namespace.client)
        #expect(EntityCapabilities(presence) == nil)
        presence.append(caps.makeElement())
        #expect(EntityCapabilities(presence) == caps)
        #expect(caps.discoNode == "http://code.google.com/p/exodus#QgayPKawpkPSDYmwT/WM94uAlu0=")
        var legacy = XMLElement(name: "presence", namespace: Namespace.client)
        legacy.append(XMLElement(name: "c", namespace: Namespace.caps, attributes: ["node": "n", "ver": "1.0"]))
        #expect(EntityCapabilities(legacy) == nil)
    }

    /// XEP-0163 §4: "+notify" features name the PEP nodes of interest.
    @Test func notifyNodes() {
        let nodes = EntityCapabilities.notifyNodes(from: [
            "http://jabber.org/protocol/tune+notify", "urn:xmpp:avatar:metadata+notify", "+notify",
            "http://jabber.org/protocol/tune", "http://jabber.org/protocol/tune+notify",
        ])
        #expect(nodes == ["http://jabber.org/protocol/tune", "urn:xmpp:avatar:metadata"])
    }
}

@Suite struct CapsCacheTests {
    private let exodus = EntityCapabilities(
        node: "http://code.google.com/p/exodus", ver: "QgayPKawpkPSDYmwT/WM94uAlu0=")
    private let psi = EntityCapabilities(node: "http://psi-im.org", ver: "q07IKJEyjvHSyhy//CH0CxmKi8w=")

    /// XEP-0115 §5.4: only a verified `ver` is cached.
    @Test func storesOnlyVerifiedResults() {
        var cache = CapsCache()
        let wrongResult = cache.verifyAndStore(claimed: self.exodus, discoInfo: CapsFixtures.complex)
        #expect(!wrongResult)
        #expect(cache.features(forVer: self.exodus.ver) == nil)
        var md5 = self.exodus
        md5.hash = "md5"
        let wrongHash = cache.verifyAndStore(claimed: md5, discoInfo: CapsFixtures.simple)
        #expect(!wrongHash)
        let verified = cache.verifyAndStore(claimed: self.exodus, discoInfo: CapsFixtures.simple)
        #expect(verified)
        #expect(cache.features(forVer: self.exodus.ver) == CapsFixtures.mucFeatures.sorted())
        #expect(cache.features(for: self.exodus) == CapsFixtures.mucFeatures.sorted())
        #expect(cache.features(for: md5) == nil)
        cache.remove(ver: self.exodus.ver)
        #expect(cache.count == 0)
    }

    /// The cache is bounded; the oldest stored entry goes first.
    @Test func evictsOldest() {
        var cache = CapsCache(capacity: 1)
        let first = cache.verifyAndStore(claimed: self.exodus, discoInfo: CapsFixtures.simple)
        #expect(first)
        let second = cache.verifyAndStore(claimed: self.psi, discoInfo: CapsFixtures.complex)
        #expect(second)
        #expect(cache.count == 1)
        #expect(cache.features(forVer: self.exodus.ver) == nil)
        #expect(cache.features(forVer: self.psi.ver) != nil)
    }
}
