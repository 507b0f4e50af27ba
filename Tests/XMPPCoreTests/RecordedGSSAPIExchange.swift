import Foundation
import Testing

@testable import XMPPCore

/// A SASL GSSAPI exchange recorded against MIT Kerberos 1.20 (python-gssapi as client and acceptor, a private KDC
/// for realm INTERCLOUD.TEST): client `alpha@INTERCLOUD.TEST`, service `xmpp/intercloud.localhost`, authzid
/// `alpha@intercloud.localhost` (RFC 4752 §3.1).
enum RecordedGSSAPIExchange {
    /// The client's initial context token: a Kerberos AP-REQ in GSS framing (RFC 1964 §1.1.1).
    static let apReq = Self.decode(
        "YIIC4QYJKoZIhvcSAQICAQBuggLQMIICzKADAgEFoQMCAQ6iBwMFACAAAACjggHgYYIB3DCCAdigAwIBBaERGw9JTlRFUkNMT1VE"
            + "LlRFU1SiJzAloAMCAQOhHjAcGwR4bXBwGxRpbnRlcmNsb3VkLmxvY2FsaG9zdKOCAZMwggGPoAMCARKhAwIBAqKCAYEEggF9vYoR"
            + "zXGylGXOfQk6YKg2FBc9/B9U7RBS6kCkgj5feojvhdkI/W1Zwha49E5yed3nioA1q49TQul/331FhXvSr57oWfWefvF6Khl20Nkd"
            + "S9+DW0hc2lldfeDEJ4DBvbHVxz1f/TN9lBKo+HpSg6lEWmkti19AEQavnfeYeFQRFyiKqNvJe6k7dl1JN56ltRtrkYxeE7ItXYl/"
            + "76qTzJSB9Elk9uoD2eclBVFsixckMCWMFxNkaQyNy0wq76YahfHmWbkuqlHI3j695yPX0k86wNFRvIfV5q9VeL60t2wtQZvBMZE6"
            + "t+gD6AtDiEEJ0FLpI5W6uNSYyPtlM0xJIIMPhLC6qfZbwPcLDLjG0B9m+8orZKN5m1qsjgXeGif2G1mbauwqdnzzQiHTOxjkMD0U"
            + "iH1KkDlop4kDtnROfvkRjkBmzaIyjY4dgGG2D6hoLwSOL52QatvH1GFQ+KQ9kQfGMNA/DIQYVxVqUH/oYTrrVjHkj55EUGD1vdfI"
            + "q9aqpIHSMIHPoAMCARKigccEgcQESC4iR+zodxp41ZboSSHqU87UvWtxTs30JWG/RUZoT6zVuxT+W9JRWJiebO6ab5YFR5aW/Q/Z"
            + "ggh1p0GjAFqNj2f34c6nHCXxpsFgx3zTLNmclnAbtndI5fQvhmGC+b67Crz/JlawIdggwK4Jt5dg4IwulQhGgXxbKCFe7tus9qiK"
            + "fHfh1KfkpdHVIqTKqDOF9t7cE4/NzB5d9yXPVHfiF0ileUC8yB0x9lnjc62t+smsNer4B49mo5hqrm1C2IOqaxLr")
    /// The acceptor's output token for mutual authentication: the AP-REP (RFC 1964 §1.1.2).
    static let apRep = Self.decode(
        "YIGZBgkqhkiG9xIBAgICAG+BiTCBhqADAgEFoQMCAQ+iejB4oAMCARKicQRv1Lw+8783IO7Q2IOzRyIZ/2TaipK/eu7pxKrNrcbt"
            + "jT3GAGf37VrHHAaCf8PdqJB1tQrN6mMU+gJhCIqn5/ZHx+9M8IRuNp8qkeD71jR+toPf89NhKTXu4WOfGJUsltiXRS2kQxi86NvM"
            + "3WFHd26l")
    /// The server's wrapped security-layer offer `01 00 00 00` (RFC 4121 §4.2.6.2 Wrap token, no confidentiality).
    static let offer = Self.decode("AQAAAAUEBf8AAAAAAAAAAAbihXLiR/8pJjVI8YwLx30=")
    /// The client's wrapped choice: layer 1, size 0, authzid `alpha@intercloud.localhost`.
    static let reply = Self.decode(
        "AQAAAGFscGhhQGludGVyY2xvdWQubG9jYWxob3N0BQQE/wAAAAAAAAAAAMdsjYT8cauD2j8ZFeHNCg==")
    /// What ``reply`` unwraps to.
    static let replyPlaintext: [UInt8] = [1, 0, 0, 0] + Array("alpha@intercloud.localhost".utf8)
    /// The initiator as `gss_display_name` shows it.
    static let principal = "alpha@INTERCLOUD.TEST"
    /// The context's `ret_flags`: mutual, confidentiality, integrity, prot_ready, transferable (RFC 2744 §3.9).
    static let flags = GSSAPIContextFlags(rawValue: 434)

    private static func decode(_ base64: String) -> [UInt8] {
        Array(Data(base64Encoded: base64)!)
    }
}

/// A ``GSSAPIAcceptor`` that answers the recorded tokens with the recorded results and anything else like a real
/// acceptor would: unknown context tokens are defective, unknown wrapped tokens fail verification. Every call is
/// logged, so tests can prove which calls happened.
final class RecordedAcceptor: GSSAPIAcceptor, @unchecked Sendable {
    /// Results by context token; a token answered once is answered as a replay afterwards, as MIT's replay cache
    /// does (RFC 4120 §3.2.3).
    var accepts: [[UInt8]: Result<GSSAPIAcceptStep, GSSAPIFailure>]
    /// Plaintexts by wrapped token.
    var unwraps: [[UInt8]: [UInt8]]
    /// Wrapped tokens by plaintext.
    var wraps: [[UInt8]: [UInt8]]
    /// `accept`, `wrap` and `unwrap`, in call order.
    private(set) var calls: [String] = []
    private var seen: Set<[UInt8]> = []

    init(
        accepts: [[UInt8]: Result<GSSAPIAcceptStep, GSSAPIFailure>], unwraps: [[UInt8]: [UInt8]] = [:],
        wraps: [[UInt8]: [UInt8]] = [:]
    ) {
        self.accepts = accepts
        self.unwraps = unwraps
        self.wraps = wraps
    }

    /// The recorded exchange, with the AP-REP as the completing step's output.
    static func recorded(flags: GSSAPIContextFlags = RecordedGSSAPIExchange.flags, output: [UInt8]? = nil)
        -> RecordedAcceptor
    {
        RecordedAcceptor(
            accepts: [
                RecordedGSSAPIExchange.apReq: .success(
                    .complete(
                        output: output ?? RecordedGSSAPIExchange.apRep, initiator: RecordedGSSAPIExchange.principal,
                        flags: flags))
            ],
            unwraps: [RecordedGSSAPIExchange.reply: RecordedGSSAPIExchange.replyPlaintext],
            wraps: [[1, 0, 0, 0]: RecordedGSSAPIExchange.offer])
    }

    func accept(_ token: [UInt8]) throws(GSSAPIFailure) -> GSSAPIAcceptStep {
        self.calls.append("accept")
        guard let result = self.accepts[token] else { throw GSSAPIFailure(.defectiveToken, reason: "unknown token") }
        guard self.seen.insert(token).inserted else { throw GSSAPIFailure(.replay, reason: "Request is a replay") }
        return try result.get()
    }

    func wrap(_ message: [UInt8]) throws(GSSAPIFailure) -> [UInt8] {
        self.calls.append("wrap")
        guard let token = self.wraps[message] else { throw GSSAPIFailure(.failure, reason: "unexpected plaintext") }
        return token
    }

    func unwrap(_ token: [UInt8]) throws(GSSAPIFailure) -> [UInt8] {
        self.calls.append("unwrap")
        guard let message = self.unwraps[token] else { throw GSSAPIFailure(.badMessage, reason: "bad checksum") }
        return message
    }
}
