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
            let keys = try world.app.requireSecrets()
            #expect(keys.isCurrent(stored) && !stored.contains(Base32.encode(secret)))
            let amy = try await world.signedIn("amy@demo.test").practitioner
            let column = SealedColumn.totpSecret
            #expect(try column.open(stored, row: amy.id!, keys: keys) == Base32.encode(secret))
            // Tampered with, it opens for nobody; nor is it anyone else's.
            var bytes = Array(stored.utf8)
            bytes[bytes.count - 3] = bytes[bytes.count - 3] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
            #expect(throws: (any Error).self) {
                try column.open(String(decoding: bytes, as: UTF8.self), row: amy.id!, keys: keys)
            }
            let ben = try await world.signedIn("ben@demo.test").practitioner
            #expect(throws: (any Error).self) { try column.open(stored, row: ben.id!, keys: keys) }
            // Nor does it open as an e-mail waiting under the same id, which would mail it out.
            #expect(throws: (any Error).self) { try SealedColumn.outboxBody.open(stored, row: amy.id!, keys: keys) }
        }
    }

    @Test func aLinkWaitsSealedInTheOutbox() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.signedIn("amy@demo.test").practitioner
            try await CredentialLinks.send(.resetPassword, to: amy, mail: world.app.mail, on: world.app.db)
            let message = try #require(try await world.outbox("amy@demo.test").first)
            let token = try await world.linkToken("amy@demo.test")
            let keys = try world.app.requireSecrets()
            #expect(keys.isCurrent(message.body) && !message.body.contains(token) && !message.body.contains("Dear"))
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
            let keys = try world.app.requireSecrets()
            #expect(waiting.count == 1 && waiting.allSatisfy { keys.isCurrent($0) && !$0.contains(String(key)) })
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
    /// sealed again under the new, in version 2's form (one stored in clear, and one in
    /// version 1's, too). A start that would lose or forge a value stops before it seals
    /// anything: with a key that is not the last start's, with a value sealed under a key not
    /// given, or with text in clear where only sealed values belong.
    @Test func rotatingTheKeySealsEverySecretAgain() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ecaf-keys-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("ecaf.sqlite").path
        let old = SecretKeys.random()
        let new = SecretKeys(current: SymmetricKey(size: .bits256), older: [old.current])

        func withApp(_ keys: SecretKeys, _ work: (Application) async throws -> Void = { _ in }) async throws {
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
        /// The database alone, as someone working around eCAF would reach it: nothing starts.
        func setTOTP(_ value: String, of id: UUID) async throws {
            let app = try await Application.make(.testing)
            var settings = Settings(store: .sqliteFile(path))
            settings.secrets = new
            try await configure(app, settings)
            do { try await setTOTP(value, of: id, app) } catch {
                try await app.asyncShutdown()
                throw error
            }
            try await app.asyncShutdown()
        }
        func setTOTP(_ value: String, of id: UUID, _ app: Application) async throws {
            try await (app.db as! any SQLDatabase).raw(
                "UPDATE practitioners SET totp_secret = \(bind: value) WHERE id = \(bind: id)"
            ).run()
        }

        var enrolled: [(UUID, String)] = []
        var pepperMix = ""
        try await withApp(old) { app in
            try await DemoData.seed(on: app.db, passwordHash: try await TestWorld.passwordHash(app))
            pepperMix = try app.requirePepper().mix(TestWorld.password)
            // As a database from before sealing began: nothing marked, no canary.
            try await (app.db as! any SQLDatabase).raw("DELETE FROM sealing_state").run()
            // The one in clear comes first in id order, so a start with the wrong key would
            // reach it before finding the others unopenable: it must not seal it under that key.
            let people = try await Practitioner.query(on: app.db).all().map(\.id!).sorted { $0.uuidString < $1.uuidString }
            enrolled = [(people[0], "KRSXG5CTMVRXEZLU"), (people[1], "JBSWY3DPEHPK3PXP"), (people[2], "MFRGGZDFMZTWQ2LK")]
            try await setTOTP("KRSXG5CTMVRXEZLU", of: people[0], app)
            try await setTOTP(try SealedColumn.totpSecret.seal("JBSWY3DPEHPK3PXP", row: people[1], keys: old), of: people[1], app)
            // Version 1: bound to the bare id.
            let box = try AES.GCM.seal(
                Data("MFRGGZDFMZTWQ2LK".utf8), using: old.current, authenticating: Data(people[2].uuidString.utf8))
            let legacy = "v1:\(SecretKeys.fingerprint(old.current)):\(box.combined!.base64EncodedString())"
            try await setTOTP(legacy, of: people[2], app)
        }
        await #expect(throws: SecretSealing.UnknownKey.self) { try await withApp(.random()) }
        try await withApp(new) { app in
            // The password pepper is sealed again like any secret, and is the same pepper.
            #expect(try app.requirePepper().mix(TestWorld.password) == pepperMix)
            let pepper = try #require(try await PasswordPepperTests.stored(on: app.db))
            #expect(new.isCurrent(pepper))
            for (id, secret) in enrolled {
                let stored = try #require(try await Practitioner.find(id, on: app.db)?.totpSecret)
                #expect(new.isCurrent(stored))
                let onlyNew = SecretKeys(current: new.current, older: [])
                #expect(try SealedColumn.totpSecret.open(stored, row: id, keys: onlyNew) == secret)
            }
        }
        // The database now knows its key: another is refused before any value is looked at.
        await #expect(throws: SecretSealing.WrongKey.self) { try await withApp(.random()) }
        // Text in clear where eCAF writes only sealed values was written around it.
        try await setTOTP("KRSXG5CTMVRXEZLU", of: enrolled[0].0)
        await #expect(throws: SecretSealing.ClearValue.self) { try await withApp(new) }
        // A value under a key not given stops the start too.
        try await setTOTP(
            try SealedColumn.totpSecret.seal("KRSXG5CTMVRXEZLU", row: enrolled[0].0, keys: .random()), of: enrolled[0].0)
        await #expect(throws: SecretSealing.UnknownKey.self) { try await withApp(new) }
    }

    /// V6.1.1, V6.1.2: what a practitioner writes in the assessment (health included) is
    /// sealed at rest under its own row; the API still reads it back whole.
    @Test func anAssessmentIsStoredSealedUnderItsOwnRow() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let episode = try await world.childWithEpisode(as: amy).episodeID
            let words = "Bedwetting since the move, seen by the enuresis clinic"
            let saved = try await world.saveAssessment(
                episode, token: amy,
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
                let column = SealedColumn.assessmentContent
                #expect(try column.open(stored, row: id, keys: keys).contains(words))
                // Copied to another assessment's row, or to an e-mail waiting under this id, it
                // opens for none.
                #expect(throws: (any Error).self) { try column.open(stored, row: UUID(), keys: keys) }
                #expect(throws: (any Error).self) { try SealedColumn.outboxBody.open(stored, row: id, keys: keys) }
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
    /// are sealed again under the current key, page by page, and read the same after; text in
    /// clear that only looks sealed is sealed like any other.
    @Test func resealingTakesEveryRowPageByPage() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            var children: [UUID] = []
            for _ in 0..<5 { children.append(try await world.registerChild(as: amy)) }
            for child in children {
                let recorded = try await world.send(
                    .POST, APIURL.preAssessments(child).path, token: amy, raw: SafeguardingAPITests.checklistCAF)
                #expect(recorded.status == .created)
            }
            let sql = world.app.db as! any SQLDatabase
            let old = try world.app.requireSecrets()
            let column = SealedColumn.checklistReason
            // Two as a release before sealing wrote them: one reads as if sealed, but is not.
            let written = try await PreAssessment.query(on: world.app.db).all()
            let clear = ["v1:worried about sleep", "v2:0123abcd:bm90IHNlYWxlZA=="]
            for (checklist, reason) in zip(written, clear) {
                try await sql.raw("UPDATE pre_assessments SET reason = \(bind: reason) WHERE id = \(bind: checklist.id!)").run()
            }
            // Once a column is wholly sealed, text in clear there is refused, not sealed.
            await #expect(throws: SecretSealing.ClearValue.self) {
                try await SecretSealing.seal(column, old, on: sql, clearAllowed: false)
            }

            let new = SecretKeys(current: SymmetricKey(size: .bits256), older: [old.current])
            try await SecretSealing.requireKnownKeys(column, new, on: sql)
            try await SecretSealing.seal(column, new, on: sql, clearAllowed: true, pageSize: 2)
            let onlyNew = SecretKeys(current: new.current, older: [])
            for checklist in try await PreAssessment.query(on: world.app.db).all() {
                #expect(new.isCurrent(checklist.sealedReason))
                let expected = clear.indices.first { written[$0].id == checklist.id }.map { clear[$0] }
                #expect(try checklist.reason(onlyNew) == expected ?? "Attendance and sleep")
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
