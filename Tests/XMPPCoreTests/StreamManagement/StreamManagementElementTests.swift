import Testing

@testable import XMPPCore

/// Reading and writing the `urn:xmpp:sm:3` elements (XEP-0198 §2–§5, §7 schema).
@Suite struct StreamManagementElementTests {
    static func sm(_ name: String, _ attributes: [String: String] = [:]) -> XMLElement {
        XMLElement(name: name, namespace: Namespace.streamManagement, attributes: attributes)
    }

    static func code(_ element: XMLElement) -> StreamManagementError.Code? {
        do {
            _ = try StreamManagementElement(element)
            return nil
        } catch {
            return error.code
        }
    }

    @Test func readsEveryElement() throws {
        #expect(try StreamManagementElement(Self.sm("sm")) == .streamFeature)
        #expect(try StreamManagementElement(Self.sm("enable")) == .enable(resume: false, max: nil))
        #expect(
            try StreamManagementElement(Self.sm("enable", ["resume": "true", "max": "60"]))
                == .enable(resume: true, max: 60))
        #expect(
            try StreamManagementElement(Self.sm("resume", ["previd": "abc", "h": "7"])) == .resume(previd: "abc", h: 7))
        #expect(try StreamManagementElement(Self.sm("r")) == .r)
        #expect(try StreamManagementElement(Self.sm("a", ["h": "4294967295"])) == .a(h: UInt32.max))
    }

    @Test func nonStreamManagementElementsAreNil() throws {
        #expect(try StreamManagementElement(XMLElement(name: "r", namespace: Namespace.client)) == nil)
        #expect(try StreamManagementElement(XMLElement(name: "a", namespace: "urn:xmpp:sm:2")) == nil)
    }

    @Test func roundTripsThroughTheWireForm() throws {
        let elements: [StreamManagementElement] = [
            .streamFeature, .enable(resume: true, max: 30), .enabled(id: "i", resume: true, max: 300),
            .enabled(id: nil, resume: false, max: nil), .resume(previd: "p", h: 9), .resumed(previd: "p", h: 0),
            .failed(condition: .itemNotFound, h: 3), .failed(condition: nil, h: nil), .r, .a(h: 42),
            .handledCountTooHigh(h: 10, sendCount: 8),
        ]
        for element in elements {
            #expect(try StreamManagementElement(element.makeElement()) == element)
        }
        #expect(StreamManagementElement.a(h: 5).makeElement().serialized() == "<a xmlns='urn:xmpp:sm:3' h='5'/>")
    }

    @Test func malformedHandledCountsThrowASpecificError() {
        for h in ["", "x", "-1", "4294967296", "1.5", " 3", "+3", "٣"] {
            #expect(Self.code(Self.sm("a", ["h": h])) == .malformedHandledCount, "h='\(h)'")
        }
        #expect(Self.code(Self.sm("resume", ["previd": "p", "h": "abc"])) == .malformedHandledCount)
    }

    @Test func missingAttributesThrow() {
        #expect(Self.code(Self.sm("a")) == .missingAttribute)
        #expect(Self.code(Self.sm("resume", ["h": "1"])) == .missingAttribute)
        #expect(Self.code(Self.sm("resume", ["previd": "p"])) == .missingAttribute)
    }

    @Test func malformedEnableAttributesThrow() {
        #expect(Self.code(Self.sm("enable", ["resume": "yes"])) == .malformedAttribute)
        #expect(Self.code(Self.sm("enable", ["max": "0"])) == .malformedAttribute)
        #expect(Self.code(Self.sm("enable", ["max": "soon"])) == .malformedAttribute)
    }

    @Test func unknownElementsInTheNamespaceThrow() {
        #expect(Self.code(Self.sm("ack")) == .unknownElement)
        let error = StreamManagementError(.unknownElement, reason: "x")
        #expect(error.streamError.condition == .badFormat)
    }
}
