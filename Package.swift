// swift-tools-version:6.1
import PackageDescription

/// Intercloud Root: XMPP presence and negotiation, naming and trust, capability matching.
/// Targets are layered: pure models and state machines (XMPPCore) have no I/O; adapters (XMPPServer, Registry,
/// TrustCA, AdminAPI) depend only downward; the `intercloud` executable wires everything into one ServiceGroup.
let package = Package(
    name: "intercloud-root",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "intercloud", targets: ["IntercloudRoot"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CExpat",
            pkgConfig: "expat",
            providers: [.apt(["libexpat1-dev"]), .brew(["expat"])]
        ),
        .systemLibrary(
            name: "CLDAP",
            pkgConfig: "ldap",
            providers: [.apt(["libldap-dev"]), .brew(["openldap"])]
        ),
        .systemLibrary(
            name: "CGSSAPI",
            providers: [.apt(["libkrb5-dev"]), .brew(["krb5"])]
        ),
        .target(
            name: "XMPPCore",
            dependencies: [
                "CExpat",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "Registry",
            dependencies: [
                "XMPPCore",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .target(name: "KerberosGSS", dependencies: ["XMPPCore", "CGSSAPI"]),
        .target(
            name: "RegistryLDAP",
            dependencies: [
                "Registry", "CLDAP", "KerberosGSS",
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "TrustCA",
            dependencies: [
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "XMPPServer",
            dependencies: [
                "XMPPCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "XMPPClient",
            dependencies: [
                "XMPPCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "Harness",
            dependencies: [
                "XMPPClient", "XMPPCore",
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(name: "RDF"),
        .target(
            name: "SPARQL",
            dependencies: ["RDF", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .target(
            name: "Capabilities",
            dependencies: [
                "RDF", "SPARQL", "XMPPCore", "XMPPServer", "Registry",
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "XMPPStorage",
            dependencies: [
                "XMPPServer",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .target(
            name: "AdminAPI",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "IntercloudRoot",
            dependencies: [
                "XMPPCore", "XMPPServer", "XMPPStorage", "Registry", "RegistryLDAP", "TrustCA", "AdminAPI",
                "Capabilities", "RDF", "SPARQL", "KerberosGSS", "Harness",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ]
        ),
        .executableTarget(
            name: "trust-bench",
            dependencies: [
                "TrustCA",
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "benchmarks/TrustBench"
        ),
        .executableTarget(
            name: "sparql-bench",
            dependencies: ["RDF", "SPARQL", .product(name: "Crypto", package: "swift-crypto")],
            path: "benchmarks/SPARQLBench"
        ),
        .testTarget(name: "XMPPCoreTests", dependencies: ["XMPPCore"]),
        .testTarget(
            name: "XMPPServerTests",
            dependencies: [
                "XMPPServer", "XMPPCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOTestUtils", package: "swift-nio"),
            ]
        ),
        .testTarget(name: "XMPPStorageTests", dependencies: ["XMPPStorage", "XMPPServer"]),
        .testTarget(
            name: "RegistryTests",
            dependencies: [
                "Registry", "RegistryLDAP", "XMPPCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "TrustCATests",
            dependencies: ["TrustCA", .product(name: "X509", package: "swift-certificates")]
        ),
        .testTarget(
            name: "AdminAPITests",
            dependencies: [
                "AdminAPI",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .testTarget(name: "XMPPClientTests", dependencies: ["XMPPClient", "XMPPCore"]),
        .testTarget(name: "HarnessTests", dependencies: ["Harness", "XMPPClient", "XMPPCore"]),
        .testTarget(name: "RDFTests", dependencies: ["RDF"]),
        .testTarget(name: "SPARQLTests", dependencies: ["SPARQL", "RDF"]),
        .testTarget(
            name: "CapabilitiesTests",
            dependencies: ["Capabilities", "RDF", "SPARQL", "XMPPCore", "XMPPServer", "Registry"]
        ),
        .testTarget(
            name: "IntercloudRootTests", dependencies: ["IntercloudRoot", "Registry", "XMPPCore", "XMPPServer"]),
    ],
    swiftLanguageModes: [.v6]
)
