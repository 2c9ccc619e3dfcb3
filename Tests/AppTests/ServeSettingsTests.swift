import Fluent
import Foundation
import Testing
import Vapor

@testable import App

/// Issue 12: `serve` without `--demo` refuses to start without what it needs, naming it.
@Suite struct ServeSettingsTests {
    /// ASVS V9.2.2: no command connects to a database on another machine without TLS.
    @Test func noCommandReachesARemoteDatabaseInClearText() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ".build/debug/ecaf")
        process.arguments = ["migrate"]
        process.environment = ["DATABASE_URL": "postgres://ecaf@db.example.invalid:5432/ecaf", "LOG_LEVEL": "error"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 1)
        #expect(text.contains("DATABASE_URL with sslmode=require"), "\(text)")
    }

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
        for name in [
            "ECAF_PUBLIC_URL", "ECAF_MAIL_FROM", "ECAF_SMTP_HOST", "ECAF_SECRETS_KEY", "ECAF_AUDIT_KEY", "ECAF_AUDIT_SIGNING_KEY",
        ] {
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

    /// ASVS V9.2.2, V1.9.1: nothing leaves this machine in clear text. A relay elsewhere is
    /// reached over TLS, whoever it is (mail carries sign-in links); a database elsewhere only
    /// with `sslmode=require`, since PostgresKit's default falls back to clear text.
    @Test func clearTextTransportIsOnlyForThisMachine() {
        let good = [
            "ECAF_PUBLIC_URL": "https://ecaf.example.gov.uk", "ECAF_MAIL_FROM": "ecaf@example.gov.uk",
            "ECAF_SMTP_HOST": "smtp.example.gov.uk",
        ]
        for (host, allowed) in [
            ("smtp.example.gov.uk", false), ("127.0.0.1", true), ("localhost", true), ("127.0.0.1.example.org", false),
        ] {
            var problems: [String] = []
            _ = Settings.mailSettings(
                good.merging(["ECAF_SMTP_HOST": host, "ECAF_SMTP_SECURITY": "none"]) { $1 }, demo: false, problems: &problems)
            #expect(problems.isEmpty == allowed, "\(host): \(problems)")
        }
        for (url, allowed) in [
            ("postgres://ecaf@db.example.gov.uk/ecaf", false),
            ("postgres://ecaf@db.example.gov.uk/ecaf?sslmode=prefer", false),
            ("postgres://ecaf@db.example.gov.uk/ecaf?sslmode=disable", false),
            ("postgres://ecaf@db.example.gov.uk/ecaf?sslmode=require&sslmode=disable", false),
            ("postgres://ecaf@db.example.gov.uk/ecaf?sslmode=require", true),
            ("postgresql://ecaf@10.0.0.5:5432/ecaf?sslmode=verify-full", true),
            ("postgres://ecaf@127.0.0.1:5432/ecaf", true), ("postgres://ecaf@localhost/ecaf", true),
            ("postgres://ecaf@127.0.0.1.example.org/ecaf", false), ("postgres://ecaf@127.1/ecaf", false),
            ("postgres://ecaf@[::1]:5432/ecaf", true),
            ("postgres+uds://ecaf@localhost/var/run/postgresql/.s.PGSQL.5432#ecaf", true),
        ] {
            #expect((Settings.databaseTransportProblem(url) == nil) == allowed, "\(url)")
        }
        let settings = Settings.fromEnvironment(demo: false, ["DATABASE_URL": "postgres://ecaf@db.example.gov.uk/ecaf"])
        #expect(settings.problems.contains { $0.hasPrefix("DATABASE_URL with sslmode=require") })
    }
}
