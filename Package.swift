// swift-tools-version:6.0
import PackageDescription

/// Our own targets fail on any warning (ASVS V14.1.2). Swift's overflow, bounds and
/// exclusivity checks stay on: no flag here turns them off (`ourTargetsFailOnAWarning`).
let strict: [SwiftSetting] = [.unsafeFlags(["-warnings-as-errors"])]

let package = Package(
    name: "ecaf",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.3"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/JohnSundell/Plot.git", from: "0.14.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
    ],
    targets: [
        .target(name: "CAFCore", swiftSettings: strict),
        // One-time passwords: TOTP (RFC 6238), base32 and the QR code the set-up page draws.
        .target(
            name: "OneTimePasswords", dependencies: [.product(name: "Crypto", package: "swift-crypto")], swiftSettings: strict),
        // Security keys: the relying party's checks of Web Authentication, with the CBOR they need.
        .target(name: "WebAuthn", dependencies: [.product(name: "Crypto", package: "swift-crypto")], swiftSettings: strict),
        // A software security key for the tests: a real P-256 key answering as a browser would.
        .target(
            name: "WebAuthnTesting", dependencies: ["WebAuthn", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict),
        .target(
            name: "App",
            dependencies: [
                "CAFCore",
                "OneTimePasswords",
                "WebAuthn",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "Plot", package: "Plot"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            resources: [.copy("Resources/openapi.json"), .copy("Resources/Public")],
            swiftSettings: strict
        ),
        .executableTarget(name: "ecaf", dependencies: ["App"], swiftSettings: strict),
        // Benchmarks (scripts/bench-*) in their own binary, `ecaf-dev`: the production one
        // carries no benchmark generators. They reach App through its `package` API.
        .target(
            name: "Benchmarks",
            dependencies: [
                "App", "CAFCore", .product(name: "Vapor", package: "vapor"), .product(name: "Fluent", package: "fluent"),
            ], swiftSettings: strict),
        .executableTarget(name: "ecaf-dev", dependencies: ["App", "Benchmarks"], swiftSettings: strict),
        .testTarget(name: "CAFCoreTests", dependencies: ["CAFCore"], swiftSettings: strict),
        .testTarget(
            name: "OneTimePasswordsTests",
            dependencies: ["OneTimePasswords", .product(name: "Crypto", package: "swift-crypto")], swiftSettings: strict),
        .testTarget(
            name: "WebAuthnTests",
            dependencies: ["WebAuthn", "WebAuthnTesting", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict),
        .testTarget(
            name: "AppTests",
            dependencies: [
                "App",
                "Benchmarks",
                "WebAuthn",
                "WebAuthnTesting",
                .product(name: "VaporTesting", package: "vapor"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
    ],
    swiftLanguageModes: [.v6]
)
