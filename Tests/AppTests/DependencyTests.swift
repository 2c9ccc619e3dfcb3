import Foundation
import Testing
import Vapor

@testable import App

/// ASVS V14.2.4, V14.2.5: every third-party package comes from a publisher we trust, pinned
/// to a release and its commit, and the bill of materials lists exactly what is resolved.
@Suite struct DependencyTests {
    static let root = SourceFiles.root

    struct Resolved: Decodable {
        struct Pin: Decodable {
            struct State: Decodable {
                let version: String?
                let revision: String
                let branch: String?
            }
            let identity: String
            let location: String
            let state: State
        }
        let pins: [Pin]
    }

    struct Bill: Decodable {
        struct Component: Decodable {
            struct Hash: Decodable { let content: String }
            let name: String
            let version: String
            let purl: String
            let hashes: [Hash]
        }
        let bomFormat: String
        let components: [Component]
    }

    /// ASVS V14.1.2: every target of ours is built to fail on a warning, and nothing turns
    /// off the checks Swift makes by default (arithmetic overflow, exclusivity, bounds).
    @Test func ourTargetsFailOnAWarning() throws {
        let manifest = try String(contentsOf: Self.root.appendingPathComponent("Package.swift"), encoding: .utf8)
        let targets =
            manifest.components(separatedBy: "Target(").count - 1 + manifest.components(separatedBy: ".target(").count - 1
        #expect(targets >= 9)
        #expect(manifest.components(separatedBy: "swiftSettings: strict").count - 1 == targets)
        #expect(manifest.contains(#"let strict: [SwiftSetting] = [.unsafeFlags(["-warnings-as-errors"])]"#))
        let loosening = ["-suppress-warnings", "-no-warnings-as-errors", #""-w""#, "-Wwarning"]
        for unchecked in ["-Ounchecked", "-enforce-exclusivity=unchecked", "-disable-", "-remove-runtime-asserts"] + loosening {
            #expect(!manifest.contains(unchecked), "\(unchecked)")
        }
    }

    static func resolved() throws -> [Resolved.Pin] {
        try JSONDecoder().decode(
            Resolved.self, from: Data(contentsOf: root.appendingPathComponent("Package.resolved"))
        ).pins
    }

    /// Apple's and the Swift Server Work Group's packages, Vapor's, and Plot: each from its
    /// publisher's own GitHub organisation over HTTPS, at a tagged release (never a branch),
    /// held to the commit it resolved to. Adding a publisher is a reviewed change to this list.
    @Test func everyDependencyComesFromATrustedPublisherAtARelease() throws {
        let trusted = ["apple", "swift-server", "vapor", "JohnSundell"]
        let pins = try Self.resolved()
        #expect(pins.count > 30)
        for pin in pins {
            let parts = pin.location.split(separator: "/")
            #expect(pin.location.hasPrefix("https://github.com/"), "\(pin.identity): \(pin.location)")
            #expect(parts.count == 4 && trusted.contains(String(parts[2])), "\(pin.identity) from \(pin.location)")
            #expect(pin.state.branch == nil, "\(pin.identity) follows a branch")
            #expect(pin.state.version?.wholeMatch(of: #/\d+\.\d+\.\d+/#) != nil, "\(pin.identity) is not a release")
            #expect(pin.state.revision.wholeMatch(of: #/[0-9a-f]{40}/#) != nil, "\(pin.identity) has no commit")
        }
    }

    /// ASVS V14.2.1: every package is at the newest release its publisher has tagged, checked
    /// where the build reads packages (`git ls-remote` of each pin's location). A requirement
    /// that holds a package a major version back, or a stale resolution, fails here, naming
    /// the release it misses.
    @Test func everyDependencyIsAtItsNewestRelease() throws {
        for pin in try Self.resolved() {
            let newest = try Self.newestRelease(at: pin.location)
            #expect(newest != nil, "\(pin.identity): no release tags at \(pin.location)")
            #expect(
                pin.state.version == newest, "\(pin.identity) is at \(pin.state.version ?? "no release"); \(newest ?? "") is out")
        }
    }

    /// The highest release tag (x.y.z, with or without a leading v) at a repository.
    static func newestRelease(at location: String) throws -> String? {
        let git = Process()
        git.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        git.arguments = ["git", "ls-remote", "--tags", "--refs", location]
        let output = Pipe()
        git.standardOutput = output
        try git.run()
        let listed = output.fileHandleForReading.readDataToEndOfFile()
        git.waitUntilExit()
        let releases = String(decoding: listed, as: UTF8.self).split(separator: "\n").compactMap { line -> [Int]? in
            guard let tag = line.split(separator: "/").last else { return nil }
            let version = tag.hasPrefix("v") ? tag.dropFirst() : tag
            guard version.wholeMatch(of: #/\d+\.\d+\.\d+/#) != nil else { return nil }
            return version.split(separator: ".").compactMap { Int($0) }
        }
        return releases.max { $0.lexicographicallyPrecedes($1) }?.map(String.init).joined(separator: ".")
    }

    /// docs/sbom.cdx.json (written by scripts/sbom) lists each resolved package once, at the
    /// version and commit Package.resolved holds, and nothing else.
    @Test func theBillOfMaterialsMatchesPackageResolved() throws {
        let bill = try JSONDecoder().decode(
            Bill.self, from: Data(contentsOf: Self.root.appendingPathComponent("docs/sbom.cdx.json")))
        #expect(bill.bomFormat == "CycloneDX")
        let listed = Dictionary(uniqueKeysWithValues: bill.components.map { ($0.name, $0) })
        let pins = try Self.resolved()
        #expect(listed.count == pins.count, "run scripts/sbom")
        for pin in pins {
            let component = listed[pin.identity]
            #expect(component?.version == pin.state.version, "\(pin.identity): run scripts/sbom")
            #expect(component?.hashes.map(\.content) == [pin.state.revision], "\(pin.identity): run scripts/sbom")
            #expect(component?.purl.hasPrefix("pkg:swift/github.com/") == true)
        }
    }

    /// V14.2.2, issue 14 item 3: the benchmarks are `ecaf-dev`'s; `ecaf` answers only what a
    /// deployment runs (the demo stays, and refuses a real database: `DatabaseKind`).
    @Test func theProductionBinaryCarriesNoBenchmarks() async throws {
        let file = TestWorld.SQLiteFile()
        defer { file.remove() }
        let app = try await Application.make(.testing)
        do {
            try await configure(app, Settings(store: .sqliteFile(file.path)))
            let commands = Set(app.asyncCommands.commands.keys).union(app.commands.commands.keys)
            #expect(commands.isSuperset(of: ["serve", "migrate", "demo", "audit", "create-admin"]))
            #expect(!commands.contains { $0.hasPrefix("bench") }, "\(commands.sorted())")
        } catch {
            try await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
        let folder = SourceFiles.root.appendingPathComponent("Sources/App")
        let sources = try FileManager.default.subpathsOfDirectory(atPath: folder.path)
        #expect(!sources.contains { $0.lowercased().contains("bench") })
    }
}
