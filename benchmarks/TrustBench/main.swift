import Crypto
import Foundation
import Logging
import TrustCA
import X509

// In-process issuance rate of the certificate authority (BENCHMARKS.md, "Naming and trust"): issues N certificates
// from pre-generated P-256 CSRs, once with the in-memory revocation ledger and once with the file ledger the server
// uses, and prints one JSON line per run. Bounded by the count; no network.
//
//     swift build -c release --product trust-bench && .build/release/trust-bench 500

let count = max(1, min(100_000, Int(CommandLine.arguments.dropFirst().first ?? "") ?? 500))
let logger = Logger(label: "trust-bench")

func makeCSRs(_ n: Int) throws -> [String] {
    try (0..<n).map { i in
        let key = Certificate.PrivateKey(P256.Signing.PrivateKey())
        let csr = try CertificateSigningRequest(
            version: .v1, subject: try DistinguishedName { CommonName("bench-\(i)") }, privateKey: key,
            attributes: CertificateSigningRequest.Attributes(), signatureAlgorithm: .ecdsaWithSHA256)
        return try csr.serializeAsPEM().pemString
    }
}

func run(ledger: String) throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("trust-bench-\(UUID())").path
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let revocations: (any RevocationStore)? = ledger == "memory" ? InMemoryRevocationStore() : nil
    let ca = try CertificateAuthority.loadOrCreate(
        directory: directory, domain: "bench.test", now: Date(), revocations: revocations, logger: logger)
    let csrs = try makeCSRs(count)
    let clock = ContinuousClock()
    let start = clock.now
    for (i, csr) in csrs.enumerated() {
        _ = try ca.issue(
            csrPEM: csr, subject: IssuedSubject(cloudName: "bench-\(i)", jid: "bench-\(i)@bench.test"), now: Date())
    }
    let elapsed = clock.now - start
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    let line: [String: Any] = [
        "scenario": "issue-in-process", "ledger": ledger, "count": count,
        "seconds": (seconds * 1000).rounded() / 1000, "certs_per_s": (Double(count) / seconds).rounded(),
    ]
    let data = try JSONSerialization.data(withJSONObject: line, options: [.sortedKeys])
    print("RESULT " + String(decoding: data, as: UTF8.self))
}

try run(ledger: "memory")
try run(ledger: "file")
