import Foundation
import Synchronization
import Testing
import XMPPCore

@testable import Harness

@Suite("Run mechanics: ready line, bounded concurrency, offline selection, mailbox, configuration")
struct RunMechanicsTests {
    @Test("the ready line gives the ports")
    func readyLine() {
        let line =
            "2026-11-21T21:55:42+0000 notice intercloud: [IntercloudRoot] ready c2s=43129 c2s_tls=42045 http=45655"
        #expect(RootLauncher.readyPorts(inLine: Substring(line)) == ["c2s": 43129, "c2s_tls": 42045, "http": 45655])
        #expect(RootLauncher.readyPorts(inLine: "info intercloud: [XMPPServer] c2s listening") == nil)
        #expect(RootLauncher.readyPorts(inLine: "the cache is ready now=1") == nil)
    }

    @Test("the output tail finds the ready line across chunks")
    func outputTail() {
        let tail = OutputTail()
        tail.append(Data("first line\nnotice: ready c2s=1".utf8))
        #expect(tail.readyPorts == nil)
        tail.append(Data("0 http=20\nlast\n".utf8))
        #expect(tail.readyPorts == ["c2s": 10, "http": 20])
        #expect(tail.tail(lines: 1) == "last")
    }

    final class Gauge: Sendable {
        struct State {
            var running = 0
            var peak = 0
            var seen: [Int] = []
        }
        let state = Mutex(State())
    }

    @Test("bounded concurrency runs each index once with at most the limit in flight")
    func bounded() async {
        let gauge = Gauge()
        await BoundedConcurrency.forEach(200, limit: 7) { index in
            gauge.state.withLock {
                $0.running += 1
                $0.peak = max($0.peak, $0.running)
                $0.seen.append(index)
            }
            await Task.yield()
            gauge.state.withLock { $0.running -= 1 }
        }
        let state = gauge.state.withLock { $0 }
        #expect(state.seen.sorted() == Array(0..<200))
        #expect(state.peak <= 7 && state.peak >= 1)
        #expect(state.running == 0)
    }

    @Test(
        "offline clouds are spread, never the observer", arguments: [(10, 0.2, 2), (2, 0.2, 1), (1, 0.5, 0), (5, 0, 0)])
    func offlineSelection(online: Int, fraction: Double, expected: Int) {
        let chosen = RunContext.offlineSelection(online: Array(0..<online), fraction: fraction)
        #expect(chosen.count == expected)
        #expect(!chosen.contains(0))
        #expect(Set(chosen).count == chosen.count)
    }

    static func signed(_ proposal: String) -> SignedAgreement {
        let terms = NegotiationTerms(
            serviceType: CapabilityCatalog.ns + "CDN", quantity: XSDDecimal(1), unit: "GB", region: "DEFRA",
            priceCeiling: XSDDecimal(2), currency: "EUR", duration: XSDDuration(days: 1))
        let agreement = Agreement(
            requester: JID("a@d")!, responder: JID("b@d")!, proposalID: proposal, round: 1, terms: terms,
            proposedAt: Date(timeIntervalSince1970: 0), agreedAt: Date(timeIntervalSince1970: 1))
        return SignedAgreement(agreement: agreement, signature: .init(algorithm: "none", value: [1]))
    }

    @Test("the mailbox hands out agreements delivered before or after the wait, and nothing after closing")
    func mailbox() async {
        let mailbox = AgreementMailbox()
        mailbox.deliver(Self.signed("p1"))
        #expect(await mailbox.wait(for: "p1", timeout: .seconds(30)) == Self.signed("p1"))
        async let later = mailbox.wait(for: "p2", timeout: .seconds(30))
        while mailbox.received("p2") == nil {
            await Task.yield()
            mailbox.deliver(Self.signed("p2"))
        }
        #expect(await later == Self.signed("p2"))
        mailbox.close()
        #expect(await mailbox.wait(for: "p3", timeout: .seconds(30)) == nil)
    }

    @Test("configurations that cannot work are refused")
    func validation() {
        #expect(HarnessConfiguration(adminToken: "t").validate() == nil)
        #expect(HarnessConfiguration().validate()?.code == .invalidConfiguration)
        #expect(HarnessConfiguration(adminToken: "t", clouds: 0).validate() != nil)
        #expect(HarnessConfiguration(adminToken: "t", concurrency: 0).validate() != nil)
        #expect(HarnessConfiguration(adminToken: "t", runID: "Bad_ID").validate() != nil)
        #expect(HarnessConfiguration(adminToken: "t", offlineFraction: 1.5).validate() != nil)
        let started = HarnessConfiguration(startRoot: .init(binary: "/bin/true", dataDirectory: "/tmp/x"))
        #expect(started.validate() == nil)
    }

    @Test("a run with an invalid configuration reports it instead of throwing")
    func invalidRun() async {
        let report = await Harness.run(HarnessConfiguration(clouds: 0), progress: nil)
        #expect(!report.passed)
        #expect(report.steps.map(\.name) == ["configure"])
        #expect(report.steps[0].failures.first?.hasPrefix("invalidConfiguration") == true)
    }
}
