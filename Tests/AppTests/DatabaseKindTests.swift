import Fluent
import Foundation
import Testing
import Vapor

@testable import App

/// Issue 12: `serve --demo` seeded all-powerful personas with a printed password into
/// whatever database it was pointed at.
@Suite struct DatabaseKindTests {
    func boot(_ path: String, demo: Bool) async throws {
        let app = try await Application.make(.testing)
        do {
            var settings = Settings(store: .sqliteFile(path), demo: demo)
            settings.secrets = .demo  // one key throughout: the demo history's assessments are sealed
            try await configure(app, settings)
            app.logger.logLevel = .error
            try await app.asyncBoot()
        } catch {
            try await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }

    @Test func demoRefusesADatabaseThatWasNotMadeForIt() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ecaf-kind-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let real = folder.appendingPathComponent("real.sqlite").path
        try await boot(real, demo: false)
        await #expect(throws: DatabaseKind.NotADemo.self) { try await boot(real, demo: true) }

        let demo = folder.appendingPathComponent("demo.sqlite").path
        try await boot(demo, demo: true)
        try await boot(demo, demo: true)
        try await boot(demo, demo: false)
    }
}
