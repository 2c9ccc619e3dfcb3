import Crypto
import Fluent
import Foundation
import OneTimePasswords
import SQLKit
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

        var enrolled: [(String, String)] = []
        try await withApp(old) { app in
            try await DemoData.seed(on: app.db, passwordHash: TestWorld.passwordHash)
            // The one in clear comes first in id order, so a start with the wrong key would
            // reach it before finding the other unopenable: it must not seal it under that key.
            let people = try await Practitioner.query(on: app.db).all().sorted { $0.id!.uuidString < $1.id!.uuidString }
            let (inClear, sealed) = (people[0], people[1])
            inClear.totpSecret = "KRSXG5CTMVRXEZLU"  // stored in clear before sealing began
            try await inClear.save(on: app.db)
            sealed.totpSecret = try old.seal("JBSWY3DPEHPK3PXP", context: sealed.id!.uuidString)
            try await sealed.save(on: app.db)
            enrolled = [(inClear.email, "KRSXG5CTMVRXEZLU"), (sealed.email, "JBSWY3DPEHPK3PXP")]
        }
        await #expect(throws: SecretKeys.SealFailure.self) { try await withApp(.random()) { _ in } }
        try await withApp(new) { app in
            #expect(enrolled.count == 2)
            for (email, secret) in enrolled {
                let account = try #require(try await Practitioner.query(on: app.db).filter(\.$email == email).first())
                let stored = try #require(account.totpSecret)
                #expect(new.isCurrent(stored))
                #expect(try SecretKeys(current: new.current, older: []).open(stored, context: account.id!.uuidString) == secret)
            }
        }
    }

    /// V6.1.1, V6.1.2: what a practitioner writes in the assessment (health included) is
    /// sealed at rest under its own row; the API still reads it back whole.
    @Test func anAssessmentIsStoredSealedUnderItsOwnRow() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let episode = try await world.childWithEpisode(as: amy).episodeID
            let words = "Bedwetting since the move, seen by the enuresis clinic"
            let saved = try await world.send(
                .PUT, APIURL.assessment(episode).path, token: amy,
                raw: try TestWorld.jsonText([
                    "reasonForAssessment": "Attendance",
                    "elements": [["code": "dev.health.general", "needs": words, "level": 2]],
                ]))
            #expect(saved.status == .ok)
            let read = try await world.send(.GET, APIURL.assessment(episode).path, token: amy)
            #expect(read.body.string.contains(words))

            let sql = world.app.db as! any SQLDatabase
            let rows = try await sql.raw("SELECT id, content FROM assessments").all()
            let keys = try world.app.requireSecrets()
            #expect(rows.count == 1)
            for row in rows {
                let stored = try row.decode(column: "content", as: String.self)
                #expect(keys.isCurrent(stored) && !stored.contains("enuresis") && !stored.contains("Attendance"))
                let id = try row.decode(column: "id", as: UUID.self)
                #expect(try keys.open(stored, context: id.uuidString).contains(words))
                // Copied to another assessment's row, it opens for none.
                #expect(throws: (any Error).self) { try keys.open(stored, context: UUID().uuidString) }
            }
        }
    }

    /// Why someone worried about a child, in the pre-assessment checklist, is sealed too.
    @Test func aChecklistIsStoredSealed() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let child = try await world.registerChild(as: amy)
            let recorded = try await world.send(
                .POST, APIURL.preAssessments(child).path, token: amy, raw: SafeguardingAPITests.checklistCAF)
            #expect(recorded.status == .created)
            #expect(try world.json(recorded)["reason"] as? String == "Attendance and sleep")
            let row = try #require(
                try await (world.app.db as! any SQLDatabase).raw("SELECT answers, reason FROM pre_assessments").first())
            let keys = try world.app.requireSecrets()
            for column in ["answers", "reason"] {
                let stored = try row.decode(column: column, as: String.self)
                #expect(keys.isCurrent(stored) && !stored.contains("sleep"), "\(column)")
            }
        }
    }

    /// Values stored in clear (by a release before sealing) or under a key being rotated out
    /// are sealed again under the current key, page by page, and read the same after.
    @Test func resealingTakesEveryRowPageByPage() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            var episodes: [UUID] = []
            for _ in 0..<5 { episodes.append(try await world.childWithEpisode(as: amy).episodeID) }
            let sql = world.app.db as! any SQLDatabase
            let old = try world.app.requireSecrets()
            // One as a release before sealing wrote it: the JSON itself.
            let first = try await Episodes.latestAssessment(of: episodes[0], on: world.app.db)
            let clear = String(decoding: try JSONEncoder().encode(try first.content(old)), as: UTF8.self)
            try await sql.raw("UPDATE assessments SET content = \(bind: clear) WHERE id = \(bind: first.id!)").run()

            let new = SecretKeys(current: SymmetricKey(size: .bits256), older: [old.current])
            try await SecretSealing.seal(.init(table: "assessments", column: "content"), new, on: sql, pageSize: 2)
            for episode in episodes {
                let assessment = try await Episodes.latestAssessment(of: episode, on: world.app.db)
                #expect(new.isCurrent(assessment.sealedContent))
                let onlyNew = SecretKeys(current: new.current, older: [])
                #expect(try assessment.content(onlyNew).parents.first?.name == "Sue Evans")
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
