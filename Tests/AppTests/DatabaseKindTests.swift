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
            try await configure(app, Settings(store: .sqliteFile(path), demo: demo))
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

/// Issue 12: `serve` without `--demo` refuses to start without what it needs, naming it.
@Suite struct ServeSettingsTests {
    @Test func serveNamesEachSettingItLacksAndDoesNotStart() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ecaf-serve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ".build/debug/ecaf")
        process.arguments = ["serve", "--hostname", "127.0.0.1", "--port", "0"]
        process.environment = ["ECAF_SQLITE_PATH": folder.appendingPathComponent("real.sqlite").path, "LOG_LEVEL": "error"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 1)
        for name in ["ECAF_PUBLIC_URL", "ECAF_MAIL_FROM", "ECAF_SMTP_HOST", "ECAF_SECRETS_KEY"] {
            #expect(text.contains(name), "\(text)")
        }
    }

    @Test func theEnvironmentGivesTheRelayAndTheDemoNeedsNone() {
        var problems: [String] = []
        let good = [
            "ECAF_PUBLIC_URL": "https://ecaf.example.gov.uk", "ECAF_MAIL_FROM": "ecaf@example.gov.uk",
            "ECAF_SMTP_HOST": "smtp.example.gov.uk", "ECAF_SMTP_SECURITY": "tls",
        ]
        let mail = Settings.mailSettings(good, demo: false, problems: &problems)
        #expect(problems.isEmpty)
        #expect(mail.smtp?.port == 465 && mail.smtp?.security == .tls && mail.domain == "ecaf.example.gov.uk")
        _ = Settings.mailSettings([:], demo: true, problems: &problems)
        #expect(problems.isEmpty)
        // A value given but unusable is named, never quietly replaced by a default.
        for (name, value) in [
            ("ECAF_PUBLIC_URL", "http://ecaf.example.gov.uk"), ("ECAF_PUBLIC_URL", "ecaf"),
            ("ECAF_MAIL_FROM", "eCAF <ecaf@example.gov.uk>"), ("ECAF_SMTP_SECURITY", "starttls   # or tls"),
            ("ECAF_SMTP_PORT", "99999"), ("ECAF_SMTP_HOST", "192.0.2.10"),
        ] {
            var found: [String] = []
            _ = Settings.mailSettings(good.merging([name: value]) { $1 }, demo: false, problems: &found)
            #expect(found.count == 1 && found.first?.hasPrefix(name) == true, "\(name)=\(value): \(found)")
        }
        var clear: [String] = []
        _ = Settings.mailSettings(
            good.merging(["ECAF_SMTP_SECURITY": "none", "ECAF_SMTP_USERNAME": "ecaf"]) { $1 }, demo: false, problems: &clear)
        #expect(clear.count == 1)
    }
}
