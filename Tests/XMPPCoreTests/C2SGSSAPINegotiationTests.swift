import Foundation
import Testing

@testable import XMPPCore

/// SASL GSSAPI inside the c2s negotiation (RFC 6120 §6, RFC 4752): offered after TLS when configured, stepped by
/// the driver, finished with the authorized JID or a failure.
@Suite struct C2SGSSAPINegotiationTests {
    typealias Base = C2SNegotiationStateMachineTests

    /// A machine inside TLS, its second stream header answered.
    static func securedMachine(gssapi: Bool = true) -> (C2SNegotiationStateMachine, [String]) {
        var m = C2SNegotiationStateMachine(
            configuration: .init(
                domain: Base.domain, tlsAvailable: true, maxAuthAttempts: 3, gssapiAvailable: gssapi,
                streamIDGenerator: { "sid" }, resourceGenerator: { "generated" }, nonceGenerator: { "nonce" }),
            secured: false)
        _ = m.streamOpened(Base.header())
        _ = m.elementReceived(XMLElement(name: "starttls", namespace: Namespace.tls))
        _ = m.tlsEstablished()
        guard case .openStream(_, let features) = m.streamOpened(Base.header()) else { return (m, []) }
        let names = features.child(named: "mechanisms", namespace: Namespace.sasl)?.elements.map(\.text) ?? []
        return (m, names)
    }

    static func base64(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }

    @Test func gssapiIsOfferedInsideTLSOnlyWhenConfigured() {
        #expect(Self.securedMachine(gssapi: true).1 == ["GSSAPI", "SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN"])
        #expect(!Self.securedMachine(gssapi: false).1.contains("GSSAPI"))
        var m = Self.securedMachine(gssapi: false).0
        guard
            case .authenticationFailed(_, .invalidMechanism) = m.elementReceived(
                Base.sasl("auth", Self.base64([0x60]), mechanism: "GSSAPI"))
        else {
            Issue.record("GSSAPI without a keytab is not a mechanism")
            return
        }
        // Before TLS nothing is offered and authentication is refused.
        var clear = Base.machine(requireTLS: true)
        _ = clear.streamOpened(Base.header())
        guard
            case .authenticationFailed(_, .encryptionRequired) = clear.elementReceived(
                Base.sasl("auth", Self.base64([0x60]), mechanism: "GSSAPI"))
        else {
            Issue.record("GSSAPI before TLS must fail")
            return
        }
    }

    @Test func theExchangeIsDrivenStepByStepAndEndsAuthenticated() throws {
        var m = Self.securedMachine().0
        #expect(
            m.elementReceived(Base.sasl("auth", Self.base64([0x60, 1]), mechanism: "GSSAPI"))
                == .gssapiStep(response: [0x60, 1], first: true))
        // A response before the challenge is a protocol violation.
        var early = m
        guard case .closeWithStreamError(let error, _) = early.elementReceived(Base.sasl("response", "=")),
            error.condition == .policyViolation
        else {
            Issue.record("expected policy-violation")
            return
        }
        let challenge = m.gssapiStepped(.challenge([7, 7]))
        #expect(
            challenge
                == .send(
                    XMLElement(name: "challenge", namespace: Namespace.sasl, children: [.text(Self.base64([7, 7]))])))
        #expect(m.elementReceived(Base.sasl("response", "=")) == .gssapiStep(response: [], first: false))
        _ = m.gssapiStepped(.challenge([8]))
        #expect(m.elementReceived(Base.sasl("response", Self.base64([9]))) == .gssapiStep(response: [9], first: false))
        let jid = try JID(parsing: "alpha@\(Base.domain)")
        guard case .authenticated(_, let authenticated) = m.gssapiStepped(.authenticated(jid)) else {
            Issue.record("expected success")
            return
        }
        #expect(authenticated == jid)
        #expect(m.authenticatedJID == jid)
        // A late step result is ignored.
        #expect(m.gssapiStepped(.challenge([1])) == .none)
    }

    @Test func withoutAnInitialResponseTheServerAsksForIt() {
        var m = Self.securedMachine().0
        #expect(
            m.elementReceived(Base.sasl("auth", mechanism: "GSSAPI"))
                == .send(XMLElement(name: "challenge", namespace: Namespace.sasl)))
        #expect(
            m.elementReceived(Base.sasl("response", Self.base64([0x60, 2])))
                == .gssapiStep(response: [0x60, 2], first: true))
    }

    @Test(arguments: [
        SASLFailure.notAuthorized, .accountDisabled, .invalidAuthzid, .malformedRequest, .credentialsExpired,
        .temporaryAuthFailure,
    ])
    func failuresCarryTheirConditionAndNeverTheLoggedReason(condition: SASLFailure) {
        var m = Self.securedMachine().0
        _ = m.elementReceived(Base.sasl("auth", Self.base64([0x60]), mechanism: "GSSAPI"))
        guard
            case .authenticationFailed(let failure, let actual) = m.gssapiStepped(
                .failed(condition, reason: "principal ghost@EXAMPLE.ORG secret detail"))
        else {
            Issue.record("expected a failure")
            return
        }
        #expect(actual == condition)
        #expect(failure.child(named: condition.rawValue, namespace: Namespace.sasl) != nil)
        #expect(!failure.serialized(parentNamespace: Namespace.client).contains("secret detail"))
        // RFC 6120 §6.5.10: not-authorized says nothing more.
        if condition == .notAuthorized { #expect(failure.child(named: "text", namespace: Namespace.sasl) == nil) }
        // The stream may try again.
        #expect(
            m.elementReceived(Base.sasl("auth", Self.base64([0x60]), mechanism: "GSSAPI"))
                == .gssapiStep(response: [0x60], first: true))
    }

    @Test func aJIDOfAnotherDomainIsRefused() throws {
        var m = Self.securedMachine().0
        _ = m.elementReceived(Base.sasl("auth", Self.base64([0x60]), mechanism: "GSSAPI"))
        guard
            case .authenticationFailed(_, .notAuthorized) = m.gssapiStepped(
                .authenticated(try JID(parsing: "alpha@elsewhere.example")))
        else {
            Issue.record("a JID of another domain must not log in here")
            return
        }
    }

    @Test func abortEndsTheExchange() {
        var m = Self.securedMachine().0
        _ = m.elementReceived(Base.sasl("auth", Self.base64([0x60]), mechanism: "GSSAPI"))
        guard case .authenticationFailed(_, .aborted) = m.elementReceived(Base.sasl("abort")) else {
            Issue.record("expected aborted")
            return
        }
        #expect(m.gssapiStepped(.challenge([1])) == .none)
    }
}
