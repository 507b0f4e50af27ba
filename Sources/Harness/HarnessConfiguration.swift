/// What `intercloud harness` runs against and how hard it pushes (issue 6; CONTRACT §2, §4, §5).
///
/// Either an external root — ``host``, ``httpPort``, ``adminToken`` and optionally ``c2sPort`` and ``domain``,
/// which are otherwise read from `GET /v1/health` — or a root the harness starts itself with ``startRoot``.
public struct HarnessConfiguration: Sendable {
    /// A root the harness starts with `intercloud serve` on free loopback ports and stops by PID at the end.
    public struct RootLaunch: Sendable, Hashable {
        /// The `intercloud` executable.
        public var binary: String
        /// The data directory (created when missing); the admin token is read from `DIR/admin.token`.
        public var dataDirectory: String
        /// More `serve` arguments, e.g. `["--log-level", "warning"]`.
        public var extraArguments: [String]

        /// Creates a launch description.
        public init(binary: String, dataDirectory: String, extraArguments: [String] = []) {
            self.binary = binary
            self.dataDirectory = dataDirectory
            self.extraArguments = extraArguments
        }
    }

    /// Time limits; every wait in the harness is bounded by one of these.
    public struct Timeouts: Sendable, Hashable {
        /// One HTTP request to the admin API.
        public var http: Duration
        /// TCP connect plus stream negotiation (STARTTLS, SASL EXTERNAL, bind) of one cloud.
        public var login: Duration
        /// One iq request (publish, match, negotiation, agreements).
        public var request: Duration
        /// How long the directory may take to reflect publications and presence changes (CONTRACT §5.2).
        public var convergence: Duration
        /// How long an agreement notification may take after the conversation ended (docs/negotiation.md).
        public var agreement: Duration
        /// How long a started root may take to log its `ready` line, and to exit after SIGTERM.
        public var root: Duration

        /// Creates time limits; the defaults suit a debug build on a small machine.
        public init(
            http: Duration = .seconds(30), login: Duration = .seconds(60), request: Duration = .seconds(30),
            convergence: Duration = .seconds(30), agreement: Duration = .seconds(15), root: Duration = .seconds(90)
        ) {
            self.http = http
            self.login = login
            self.request = request
            self.convergence = convergence
            self.agreement = agreement
            self.root = root
        }
    }

    /// The root's address; loopback (CONTRACT §2 `--bind`).
    public var host: String
    /// The STARTTLS c2s port; nil reads it from `GET /v1/health` (CONTRACT §4).
    public var c2sPort: Int?
    /// The admin HTTP API port (CONTRACT §4); ignored with ``startRoot``.
    public var httpPort: Int
    /// The XMPP domain D; nil reads it from `GET /v1/health`. With ``startRoot`` it is passed as `--domain`.
    public var domain: String?
    /// The admin bearer token (`DATA/admin.token`, CONTRACT §4); read from the data directory with ``startRoot``.
    public var adminToken: String?
    /// How many simulated clouds to register.
    public var clouds: Int
    /// How many operations are in flight at once.
    public var concurrency: Int
    /// The seed of the generated descriptions: the same seed gives the same clouds.
    public var seed: UInt64
    /// Distinguishes this run's cloud names `h<seed>-<runID>-<i>`; nil picks a random one, so reruns never collide.
    public var runID: String?
    /// The fraction of logged-in clouds taken offline and back (step `offline`), at least one when there are two.
    public var offlineFraction: Double
    /// How many matching queries to run; nil runs one per logged-in cloud, at most 200.
    public var matchQueries: Int?
    /// Whether the clouds are removed from the registry at the end (`DELETE /v1/clouds/{name}`).
    public var removeClouds: Bool
    /// Time limits.
    public var timeouts: Timeouts
    /// When set, the harness starts its own root instead of using ``host``/``httpPort``.
    public var startRoot: RootLaunch?

    /// Creates a configuration; the defaults run 50 clouds, 32 operations in flight, against `127.0.0.1:5280`.
    public init(
        host: String = "127.0.0.1", c2sPort: Int? = nil, httpPort: Int = 5280, domain: String? = nil,
        adminToken: String? = nil, clouds: Int = 50, concurrency: Int = 32, seed: UInt64 = 42, runID: String? = nil,
        offlineFraction: Double = 0.2, matchQueries: Int? = nil, removeClouds: Bool = true,
        timeouts: Timeouts = Timeouts(), startRoot: RootLaunch? = nil
    ) {
        self.host = host
        self.c2sPort = c2sPort
        self.httpPort = httpPort
        self.domain = domain
        self.adminToken = adminToken
        self.clouds = clouds
        self.concurrency = concurrency
        self.seed = seed
        self.runID = runID
        self.offlineFraction = offlineFraction
        self.matchQueries = matchQueries
        self.removeClouds = removeClouds
        self.timeouts = timeouts
        self.startRoot = startRoot
    }

    /// Checks the values that cannot work; returns the first problem.
    public func validate() -> HarnessError? {
        if self.clouds < 1 || self.clouds > 1_000_000 {
            return HarnessError(.invalidConfiguration, "clouds must be 1…1000000, not \(self.clouds)")
        }
        if self.concurrency < 1 || self.concurrency > 10_000 {
            return HarnessError(.invalidConfiguration, "concurrency must be 1…10000, not \(self.concurrency)")
        }
        if !(0...1).contains(self.offlineFraction) {
            return HarnessError(.invalidConfiguration, "the offline fraction must be 0…1, not \(self.offlineFraction)")
        }
        if let runID = self.runID, !Self.isValidRunID(runID) {
            return HarnessError(.invalidConfiguration, "the run id must be 1–16 of a-z 0-9, not '\(runID)'")
        }
        if self.startRoot == nil, (self.adminToken ?? "").isEmpty {
            return HarnessError(.invalidConfiguration, "an admin token is needed unless the harness starts the root")
        }
        return nil
    }

    /// Run ids are 1–16 of `a-z 0-9`, so that cloud names stay valid (CONTRACT §3).
    static func isValidRunID(_ runID: String) -> Bool {
        (1...16).contains(runID.utf8.count)
            && runID.utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) }
    }
}
