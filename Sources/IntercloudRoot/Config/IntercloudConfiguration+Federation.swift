import XMPPServer

extension IntercloudConfiguration {
    /// Checks the s2s settings (docs/federation.md): routes are `DOMAIN = HOST:PORT` for lower-case DNS names
    /// other than ours, the queue holds 1–100000 stanzas, the timeout is 1–600 s.
    func validateFederation() throws(CLIError) {
        for (domain, target) in self.s2sRoutes {
            guard !domain.isEmpty, domain == domain.lowercased(),
                domain.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") })
            else {
                throw .usage("s2s route domain '\(domain)' must be a lower-case DNS name")
            }
            guard domain != self.domain else { throw .usage("s2s route for our own domain \(domain)") }
            guard S2SRoute(parsing: target) != nil else {
                throw .usage("s2s route for \(domain) must be HOST:PORT, got '\(target)'")
            }
        }
        guard (1...100_000).contains(self.s2sMaxQueue) else {
            throw .usage("s2s.max_queue must be between 1 and 100000")
        }
        guard (1...600).contains(self.s2sConnectTimeout) else {
            throw .usage("s2s.connect_timeout must be between 1 and 600 seconds")
        }
    }

    /// Adds `DOMAIN=HOST:PORT` routes from the command line (`--s2s-route`, repeatable).
    mutating func addS2SRoutes(_ flags: [String]) throws(CLIError) {
        for flag in flags {
            guard let equals = flag.firstIndex(of: "=") else {
                throw .usage("--s2s-route must be DOMAIN=HOST:PORT, got '\(flag)'")
            }
            self.s2sRoutes[String(flag[..<equals]).lowercased()] = String(flag[flag.index(after: equals)...])
        }
    }
}
