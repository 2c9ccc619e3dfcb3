import Crypto
import Fluent
import Foundation
import OneTimePasswords
import Testing
import Vapor

@testable import App

/// Issue 12: secrets at rest. TOTP secrets and waiting e-mail bodies are sealed with
/// AES-GCM under the server's key; page sessions are stored under their id's digest.
@Suite struct SecretsTests {
    @Test func aSecondFactorIsStoredSealedAndStillSignsIn() async throws {
        try await TestWorld.run(twoFactorRequired: true) { (world: TestWorld) async throws in
            let (secret, _) = try await TwoFactorTests().setUp(PageTests.Browser(world), "amy@demo.test")
            let stored = try #require(
                try await Practitioner.query(on: world.app.db).filter(\.$email == "amy@demo.test").first()?.totpSecret)
            #expect(stored.hasPrefix("v1:") && !stored.contains(Base32.encode(secret)))
            let keys = try world.app.requireSecrets()
            let amy = try await world.signedIn("amy@demo.test").practitioner
            #expect(try keys.open(stored, context: amy.id!.uuidString) == Base32.encode(secret))
            // Tampered with, it opens for nobody; nor is it anyone else's.
            var bytes = Array(stored.utf8)
            bytes[bytes.count - 3] = bytes[bytes.count - 3] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
            #expect(throws: (any Error).self) {
                try keys.open(String(decoding: bytes, as: UTF8.self), context: amy.id!.uuidString)
            }
            let ben = try await world.signedIn("ben@demo.test").practitioner
            #expect(throws: (any Error).self) { try keys.open(stored, context: ben.id!.uuidString) }
        }
    }

    @Test func aLinkWaitsSealedInTheOutbox() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.signedIn("amy@demo.test").practitioner
            try await CredentialLinks.send(.resetPassword, to: amy, mail: world.app.mail, on: world.app.db)
            let message = try #require(try await world.outbox("amy@demo.test").first)
            let token = try await world.linkToken("amy@demo.test")
            #expect(message.body.hasPrefix("v1:") && !message.body.contains(token) && !message.body.contains("Dear"))
        }
    }

    /// The secret being set up waits in the session sealed, not as the key the page shows.
    @Test func aSecretBeingSetUpWaitsSealedInTheSession() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let browser = PageTests.Browser(world)
            try await browser.signIn("amy@demo.test")
            let html = try await browser.get(SiteURL.twoFactor.path).body.string
            let key = try #require(html.range(of: #"id="manual-key">"#).map { html[$0.upperBound...].prefix { $0 != "<" } })
            let waiting = try await PageSession.query(on: world.app.db).all().compactMap { try $0.sessionData["setUpSecret"] }
            #expect(waiting.count == 1 && waiting.allSatisfy { $0.hasPrefix("v1:") && !$0.contains(String(key)) })
        }
    }

    @Test func sessionsAreStoredUnderTheDigestOfTheirId() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let browser = PageTests.Browser(world)
            try await browser.signIn("amy@demo.test")
            let id = try #require(browser.cookie?.split(separator: "=", maxSplits: 1).last.map(String.init))
            let keys = try await PageSession.query(on: world.app.db).all().map(\.key)
            #expect(!keys.contains(id))
            #expect(keys.contains(Auth.digest(id)))
        }
    }

    /// A key rotated: restarted with the new key and the old one beside it, every secret is
    /// sealed again under the new (one stored in clear too); without the old key, the server
    /// will not start rather than lose a secret.
    @Test func rotatingTheKeySealsEverySecretAgain() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ecaf-keys-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("ecaf.sqlite").path
        let old = SecretKeys.random()
        let new = SecretKeys(current: SymmetricKey(size: .bits256), older: [old.current])

        func withApp(_ keys: SecretKeys, _ work: (Application) async throws -> Void) async throws {
            let app = try await Application.make(.testing)
            var settings = Settings(store: .sqliteFile(path))
            settings.secrets = keys
            do {
                try await configure(app, settings)
                app.logger.logLevel = .error
                try await app.asyncBoot()
                try await work(app)
            } catch {
                try await app.asyncShutdown()
                throw error
            }
            try await app.asyncShutdown()
        }

        try await withApp(old) { app in
            try await DemoData.seed(on: app.db, passwordHash: TestWorld.passwordHash)
            let amy = try #require(try await Practitioner.query(on: app.db).filter(\.$email == "amy@demo.test").first())
            amy.totpSecret = try old.seal("JBSWY3DPEHPK3PXP", context: amy.id!.uuidString)
            try await amy.save(on: app.db)
            let ben = try #require(try await Practitioner.query(on: app.db).filter(\.$email == "ben@demo.test").first())
            ben.totpSecret = "KRSXG5CTMVRXEZLU"  // stored in clear before sealing began
            try await ben.save(on: app.db)
        }
        await #expect(throws: SecretKeys.SealFailure.self) { try await withApp(.random()) { _ in } }
        try await withApp(new) { app in
            for (email, secret) in [("amy@demo.test", "JBSWY3DPEHPK3PXP"), ("ben@demo.test", "KRSXG5CTMVRXEZLU")] {
                let account = try #require(try await Practitioner.query(on: app.db).filter(\.$email == email).first())
                let stored = try #require(account.totpSecret)
                #expect(new.isCurrent(stored))
                #expect(try SecretKeys(current: new.current, older: []).open(stored, context: account.id!.uuidString) == secret)
            }
        }
    }

    @Test func theKeyComesFromTheEnvironmentAsThirtyTwoBytes() {
        var problems: [String] = []
        let key = Data((0..<32).map { UInt8($0) }).base64EncodedString()
        #expect(SecretKeys.fromEnvironment(["ECAF_SECRETS_KEY": key], demo: false, problems: &problems) != nil)
        #expect(problems.isEmpty)
        // Never the demo's key for a real database: without one, none.
        #expect(SecretKeys.fromEnvironment([:], demo: false, problems: &problems) == nil)
        problems = []
        for bad in ["c2hvcnQ=", "not base64 at all"] {
            var found: [String] = []
            _ = SecretKeys.fromEnvironment(["ECAF_SECRETS_KEY": bad], demo: false, problems: &found)
            #expect(found.count == 1 && found.first?.hasPrefix("ECAF_SECRETS_KEY") == true, "\(bad)")
        }
        var demo: [String] = []
        _ = SecretKeys.fromEnvironment([:], demo: true, problems: &demo)
        #expect(demo.isEmpty)
    }
}
