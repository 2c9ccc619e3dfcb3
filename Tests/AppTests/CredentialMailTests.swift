import CAFCore
import Fluent
import Foundation
import NIOCore
import OneTimePasswords
import SQLKit
import Testing
import VaporTesting

@testable import App

/// The test SMTP sink that `scripts/test` runs (Tests/mail/sink.py, aiosmtpd): where it
/// listens and the folder it writes each message it accepts to.
enum MailSink {
    static let env = ProcessInfo.processInfo.environment
    static var configured: Bool { env["ECAF_TEST_SMTP_PORT"] != nil && env["ECAF_TEST_MAIL_DIR"] != nil }

    /// A postman for a test's server, delivering to the sink.
    static func postman(_ world: TestWorld) -> Postman {
        Postman(
            mail: world.app.mail,
            smtp: SMTPSettings(host: "127.0.0.1", port: Int(env["ECAF_TEST_SMTP_PORT"] ?? "") ?? 0, security: .none),
            lease: 0)
    }

    /// Every message the sink holds with this Message-ID, as received.
    static func received(_ messageID: String) throws -> [String] {
        let folder = URL(fileURLWithPath: env["ECAF_TEST_MAIL_DIR"] ?? "/nonexistent")
        return try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "eml" && !$0.lastPathComponent.hasPrefix(".") }
            .compactMap { String(data: try Data(contentsOf: $0), encoding: .utf8) }
            .filter { $0.contains("Message-ID: \(messageID)\r\n") }
    }

    /// The plain-text body of a received message.
    static func body(_ raw: String) -> String {
        let parts = raw.components(separatedBy: "\r\n\r\n")
        let encoded = parts.dropFirst().joined(separator: "\r\n\r\n").replacingOccurrences(of: "\r\n", with: "")
        return Data(base64Encoded: encoded).flatMap { String(data: $0, encoding: .utf8) } ?? ""
    }
}

extension TestWorld {
    /// The messages waiting in the outbox for an address, oldest first.
    func outbox(_ email: String) async throws -> [OutboxMessage] {
        try await OutboxMessage.query(on: app.db).filter(\.$recipient == email).sort(\.$createdAt).all()
    }

    /// Follows the newest link e-mailed to an address and chooses a password there.
    func choosePassword(_ email: String, _ password: String) async throws {
        let browser = PageTests.Browser(self)
        _ = try await browser.get(SiteURL.signIn.path)
        let done = try await browser.post(
            SiteURL.credentialLink.path,
            [("token", try await linkToken(email)), ("newPassword", password), ("confirmPassword", password)])
        #expect(done.status == .seeOther)
    }

    /// A waiting message's body, opened (it is sealed at rest).
    func body(_ message: OutboxMessage) throws -> String {
        try SealedColumn.outboxBody.open(message.body, row: message.id!, keys: try app.requireSecrets())
    }

    /// The token in the newest link e-mailed to an address.
    func linkToken(_ email: String) async throws -> String {
        let body = try self.body(try #require(try await outbox(email).last))
        let start = try #require(body.range(of: "?token="))
        return String(body[start.upperBound...].prefix { !$0.isWhitespace })
    }
}

@Suite struct CredentialMailTests {
    typealias Browser = PageTests.Browser

    func newAccount(_ world: TestWorld, roles: String = #"["practitioner"]"#) async throws -> TestingHTTPResponse {
        let fay = try await world.token("fay@demo.test")
        let school = try await Organisation.query(on: world.app.db).filter(\.$name == "Riverside Primary School").first()!
        return try await world.send(
            .POST, APIURL.adminPractitioners.path, token: fay,
            raw:
                #"{"email": "kay@demo.test", "name": "Kay Brook", "roles": \#(roles), "organisationId": "\#(school.id!.uuidString)"}"#
        )
    }

    /// Issue 12: an administrator chose new accounts' passwords, and could sign in as them.
    @Test func aNewAccountsHolderChoosesTheirOwnPasswordFromALinkThatWorksOnce() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let created = try await newAccount(world)
            #expect(created.status == .created)
            // The administrator is told nothing secret; no password can sign in yet.
            let token = try await world.linkToken("kay@demo.test")
            #expect(!created.body.string.contains(token))
            let kay = try await Practitioner.query(on: world.app.db).filter(\.$email == "kay@demo.test").first()!
            #expect(kay.passwordSetAt == nil)
            #expect(try await CredentialLink.query(on: world.app.db).filter(\.$tokenHash == token).count() == 0)
            for guess in [Passwords.unset, "", TestWorld.password] {
                let signIn = try await world.send(.POST, APIURL.token.path, json: ["email": "kay@demo.test", "password": guess])
                #expect(signIn.status == .unauthorized)
            }

            let browser = Browser(world)
            let link = SiteURL.credentialLink.path + "?token=" + token
            #expect(try await browser.get(link).status == .ok)
            #expect(try await browser.get(SiteURL.credentialLink.path + "?token=forged").status == .gone)
            let mismatched = try await browser.post(
                SiteURL.credentialLink.path,
                [("token", token), ("newPassword", "amber violin tractor 9"), ("confirmPassword", "amber violin tractor 8")])
            #expect(mismatched.status == .unprocessableEntity)
            #expect(mismatched.body.string.contains("Type the same new password twice"))
            let weak = try await browser.post(
                SiteURL.credentialLink.path,
                [("token", token), ("newPassword", "password1234"), ("confirmPassword", "password1234")])
            #expect(weak.status == .unprocessableEntity)
            let chosen = [
                ("token", token), ("newPassword", "amber violin tractor 9"), ("confirmPassword", "amber violin tractor 9"),
            ]
            let done = try await browser.post(SiteURL.credentialLink.path, chosen)
            #expect(done.status == .seeOther)
            #expect(done.headers.first(name: .location) == SiteURL.twoFactor.path)
            #expect(try await browser.get(SiteURL.twoFactor.path).body.string.contains("manual-key"))

            // Once only: the same link again changes nothing.
            let again = try await Browser(world).post(
                SiteURL.credentialLink.path,
                [("token", token), ("newPassword", "other words entirely 4"), ("confirmPassword", "other words entirely 4")],
                withToken: false)
            #expect(again.status != .seeOther)
            let second = Browser(world)
            _ = try await second.get(SiteURL.signIn.path)
            #expect(try await second.post(SiteURL.credentialLink.path, chosen).status == .gone)
            let signIn = try await world.send(
                .POST, APIURL.token.path, json: ["email": "kay@demo.test", "password": "amber violin tractor 9"])
            #expect(signIn.status == .created)
        }
    }

    /// The gap the second approval left: roles approved for an account whose password the
    /// requesting administrator might still hold.
    @Test func rolesWaitForTheHolderToChooseTheirPassword() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let created = try await newAccount(world, roles: #"["safeguarding"]"#)
            #expect(created.status == .created, "\(created.body.string)")
            let grant = try await RoleGrant.query(on: world.app.db).filter(\.$decision == .pending).first()!
            let gil = try await world.token("gil@demo.test")
            let early = try await world.send(
                .POST, APIURL.adminRoleGrantDecision(grant.id!).path, token: gil, raw: #"{"decision": "approved"}"#)
            #expect(early.status == .conflict)
            #expect(try world.error(early).code == "holder-not-ready")
            #expect(try await RoleGrant.find(grant.id!, on: world.app.db)?.decision == .pending)

            let browser = Browser(world)
            _ = try await browser.get(SiteURL.signIn.path)
            let token = try await world.linkToken("kay@demo.test")
            _ = try await browser.post(
                SiteURL.credentialLink.path,
                [("token", token), ("newPassword", "amber violin tractor 9"), ("confirmPassword", "amber violin tractor 9")])
            let approved = try await world.send(
                .POST, APIURL.adminRoleGrantDecision(grant.id!).path, token: gil, raw: #"{"decision": "approved"}"#)
            #expect(approved.status == .ok)
        }
    }

    @Test func aForgottenPasswordIsReplacedFromALinkWithTheCodeAndEveryOldSessionEnds() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let secret = try await world.giveAuthenticatorApp(to: "amy@demo.test")
            // The sign-in below uses the previous step's code and the reset the current one: start
            // clear of a step's end, so the first is not two steps old by the time it is checked.
            let intoStep = Date().timeIntervalSince1970.truncatingRemainder(dividingBy: 30)
            if intoStep > 20 { try await Task.sleep(for: .seconds(31 - intoStep)) }
            let oldToken = try await world.send(
                .POST, APIURL.token.path,
                json: [
                    "email": "amy@demo.test", "password": TestWorld.password,
                    "code": TOTP.code(secret: secret, step: TOTP.step(at: Date()) - 1),
                ])
            let bearer = try world.decode(TestWorld.TokenBody.self, oldToken).token

            let browser = Browser(world)
            _ = try await browser.get(SiteURL.forgotPassword.path)
            let asked = try await browser.post(SiteURL.forgotPassword.path, [("email", "AMY@demo.test ")])
            let unknown = try await browser.post(SiteURL.forgotPassword.path, [("email", "nobody@demo.test")])
            // The same page either way: nobody learns who has an account.
            #expect(asked.status == .ok && unknown.status == .ok)
            #expect(asked.body.string.contains("Check your e-mail") && unknown.body.string.contains("Check your e-mail"))
            #expect(try await world.outbox("nobody@demo.test").isEmpty)
            #expect(try await world.outbox("amy@demo.test").count == 1)
            // Asking again at once sends nothing more.
            _ = try await browser.post(SiteURL.forgotPassword.path, [("email", "amy@demo.test")])
            #expect(try await world.outbox("amy@demo.test").count == 1)

            let token = try await world.linkToken("amy@demo.test")
            let page = try await browser.get(SiteURL.credentialLink.path + "?token=" + token)
            #expect(page.body.string.contains(#"name="code""#))
            let new = [
                ("token", token), ("newPassword", "amber violin tractor 9"), ("confirmPassword", "amber violin tractor 9"),
            ]
            let noCode = try await browser.post(SiteURL.credentialLink.path, new + [("code", "000000")])
            #expect(noCode.status == .unprocessableEntity)
            let code = TOTP.code(secret: secret, step: TOTP.step(at: Date()))
            let done = try await browser.post(SiteURL.credentialLink.path, new + [("code", code)])
            #expect(done.headers.first(name: .location) == SiteURL.signIn.path + "?changed=password")
            #expect(try await world.send(.GET, APIURL.me.path, token: bearer).status == .unauthorized)
            let old = try await world.send(
                .POST, APIURL.token.path, json: ["email": "amy@demo.test", "password": TestWorld.password, "code": code])
            #expect(old.status == .unauthorized)
            let again = Browser(world)
            _ = try await again.get(SiteURL.signIn.path)
            #expect(try await again.post(SiteURL.credentialLink.path, new + [("code", code)]).status == .gone)
        }
    }

    /// A reset second factor is set up again only from the link: the password alone, which
    /// whoever took the phone may also know, is not enough.
    @Test func aResetSecondFactorIsSetUpAgainOnlyFromTheLink() async throws {
        try await TestWorld.run(twoFactorRequired: true) { (world: TestWorld) async throws in
            let ben = try await Practitioner.query(on: world.app.db).filter(\.$email == "ben@demo.test").first()!
            ben.totpSecret = try TwoFactor.seal(TOTP.newSecret(), for: ben, keys: try world.app.requireSecrets())
            try await ben.save(on: world.app.db)
            _ = try await Administration.update(
                ben.id!, .init(resetTwoFactor: true), basedOn: ben.version, by: try await world.signedIn("fay@demo.test"),
                mail: world.app.mail,
                on: world.app.db)
            #expect(try await world.outbox("ben@demo.test").count == 1)

            let browser = Browser(world)
            _ = try await browser.get(SiteURL.signIn.path)
            let refused = try await browser.post(
                SiteURL.signIn.path, [("email", "ben@demo.test"), ("password", TestWorld.password)])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("use the link eCAF e-mailed you"))
            #expect(try await browser.get(SiteURL.twoFactor.path).status == .seeOther)

            // Found by review: disabling and enabling the account, or sending a new account link,
            // must not open a way round the reset's link.
            let fay = try await world.signedIn("fay@demo.test")
            for disabled in [true, false] {
                let version = try await Practitioner.find(ben.id!, on: world.app.db)!.version
                _ = try await Administration.update(
                    ben.id!, .init(disabled: disabled), basedOn: version, by: fay, mail: world.app.mail, on: world.app.db)
            }
            let again = try await browser.post(
                SiteURL.signIn.path, [("email", "ben@demo.test"), ("password", TestWorld.password)])
            #expect(again.status == .unprocessableEntity)
            let version = try await Practitioner.find(ben.id!, on: world.app.db)!.version
            await #expect(throws: AppError.self) {
                try await Administration.update(
                    ben.id!, .init(resendNewAccountLink: true), basedOn: version, by: fay, mail: world.app.mail,
                    on: world.app.db)
            }

            let token = try await world.linkToken("ben@demo.test")
            let wrong = try await browser.post(SiteURL.credentialLink.path, [("token", token), ("password", "not his password")])
            #expect(wrong.status == .unprocessableEntity)
            let right = try await browser.post(SiteURL.credentialLink.path, [("token", token), ("password", TestWorld.password)])
            #expect(right.headers.first(name: .location) == SiteURL.twoFactor.path)
            let setUp = try await browser.get(SiteURL.twoFactor.path)
            let html = setUp.body.string
            let key = try #require(html.range(of: #"id="manual-key">"#).map { html[$0.upperBound...].prefix { $0 != "<" } })
            let secret = try #require(Base32.decode(String(key)))
            let done = try await browser.post(
                SiteURL.twoFactor.path, [("code", TOTP.code(secret: secret, step: TOTP.step(at: Date())))])
            #expect(done.headers.first(name: .location) == SiteURL.home.path)
            #expect(try await browser.get(SiteURL.home.path).status == .ok)
            // ASVS V2.5.5: the holder is told the factor was replaced.
            #expect(
                try await world.outbox("ben@demo.test").map(\.subject).last
                    == "A new authenticator app signs in to your eCAF account")
        }
    }

    /// Changing one's own password needs the current one; other sessions end, this one stays.
    @Test func peopleChangeTheirOwnPassword() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let elsewhere = Browser(world)
            try await elsewhere.signIn("amy@demo.test")
            let browser = Browser(world)
            try await browser.signIn("amy@demo.test")
            let new = [("newPassword", "amber violin tractor 9"), ("confirmPassword", "amber violin tractor 9")]
            let wrong = try await browser.post(SiteURL.changePassword.path, [("currentPassword", "guess")] + new)
            #expect(wrong.status == .unprocessableEntity)
            #expect(wrong.body.string.contains("Your current password is not right"))
            #expect(try await world.outbox("amy@demo.test").isEmpty, "no change, no message")
            let done = try await browser.post(SiteURL.changePassword.path, [("currentPassword", TestWorld.password)] + new)
            #expect(done.status == .ok)
            #expect(done.body.string.contains("Your password has been changed"))
            #expect(try await browser.get(SiteURL.home.path).status == .ok)
            #expect(try await elsewhere.get(SiteURL.home.path).status == .seeOther)
            // ASVS V2.2.3: the holder is told, at their address, whoever changed it.
            #expect(try await world.outbox("amy@demo.test").map(\.subject) == ["Your eCAF password was changed"])
            let signIn = try await world.send(
                .POST, APIURL.token.path, json: ["email": "amy@demo.test", "password": "amber violin tractor 9"])
            #expect(signIn.status == .created)
        }
    }

    /// The e-mail is written in the change's own transaction: no change, no message.
    @Test func aMessageIsWrittenWithItsChangeOrNotAtAll() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await Practitioner.query(on: world.app.db).filter(\.$email == "amy@demo.test").first()!
            struct Abandoned: Error {}
            await #expect(throws: Abandoned.self) {
                try await world.app.db.transaction { db in
                    try await CredentialLinks.send(.resetPassword, to: amy, mail: world.app.mail, on: db)
                    throw Abandoned()
                }
            }
            #expect(try await world.outbox("amy@demo.test").isEmpty)
            #expect(try await CredentialLink.query(on: world.app.db).count() == 0)
        }
    }

    /// Delivered through a real SMTP conversation to the sink; a failure is retried later;
    /// a crash after claiming, or after sending but before recording it, loses nothing, and
    /// the copy sent again carries the same Message-ID.
    @Test(.enabled(if: MailSink.configured, "needs the SMTP sink that scripts/test starts"))
    func theOutboxDeliversAtLeastOnceWithAStableMessageID() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let db = world.app.db
            let group = world.app.eventLoopGroup
            let created = try await newAccount(world)
            #expect(created.status == .created, "\(created.body.string)")
            let message = try #require(try await world.outbox("kay@demo.test").first)
            let token = try await world.linkToken("kay@demo.test")

            // The relay is down: the attempt is recorded and put off, nothing is lost.
            var down = MailSink.postman(world)
            down.smtp.port = 1
            #expect(try await down.deliverDue(on: db, group: group) == 0)
            let failed = try #require(try await OutboxMessage.find(message.id, on: db))
            #expect(failed.attempts == 1 && failed.sentAt == nil && failed.lastError != nil)
            #expect(failed.nextAttemptAt > Date().addingTimeInterval(20))
            #expect(try await MailSink.postman(world).deliverDue(on: db, group: group) == 0)  // not due yet

            // A server claims it and dies before sending: once the claim lapses, it goes.
            let later = Date().addingTimeInterval(Postman.retryDelay(afterAttempts: 1) + 1)
            #expect(try await MailSink.postman(world).claimNext(on: db, now: later)?.id == message.id)
            #expect(try await MailSink.postman(world).deliverDue(on: db, group: group, at: later.addingTimeInterval(1)) == 1)
            let received = try MailSink.received(message.messageID)
            #expect(received.count == 1)
            let body = MailSink.body(try #require(received.first))
            #expect(body.contains("Dear Kay Brook") && body.contains("?token=" + token))
            #expect(received.first?.contains("X-Envelope-To: kay@demo.test") == true)
            let sent = try #require(try await OutboxMessage.find(message.id, on: db))
            #expect(sent.sentAt != nil && sent.body.isEmpty)

            // A server sends and dies before recording it: it is sent again, recognisably the same.
            let amy = try await world.signedIn("amy@demo.test").practitioner
            try await world.app.db.transaction { db in
                try await CredentialLinks.send(.resetPassword, to: amy, mail: world.app.mail, on: db)
            }
            let second = try #require(try await world.outbox("amy@demo.test").first)
            let claimed = try #require(try await MailSink.postman(world).claimNext(on: db))
            try await SMTPClient.send(
                claimed, body: try world.body(claimed), from: "ecaf@demo.test", settings: MailSink.postman(world).smtp,
                heloName: "localhost", on: group)
            #expect(try await MailSink.postman(world).deliverDue(on: db, group: group, at: Date().addingTimeInterval(1)) == 1)
            let twice = try MailSink.received(second.messageID)
            #expect(twice.count == 2)
            #expect(Set(twice.map(MailSink.body)).count == 1)

            // A reset second factor's link goes the same way. Each kind's link, as received,
            // opens its page; the sink is the only place the token is whole.
            let ben = try await world.signedIn("ben@demo.test").practitioner
            ben.totpSecret = try TwoFactor.seal(TOTP.newSecret(), for: ben, keys: try world.app.requireSecrets())
            try await ben.save(on: db)
            _ = try await Administration.update(
                ben.id!, .init(resetTwoFactor: true), basedOn: ben.version, by: try await world.signedIn("fay@demo.test"),
                mail: world.app.mail,
                on: db)
            let third = try #require(try await world.outbox("ben@demo.test").first)
            #expect(try await MailSink.postman(world).deliverDue(on: db, group: group) == 1)
            for (messageID, subject) in [
                (message.messageID, "Your eCAF account"), (second.messageID, "Reset your eCAF password"),
                (third.messageID, "Set up two-factor sign-in for eCAF again"),
            ] {
                let raw = try #require(try MailSink.received(messageID).first)
                #expect(raw.contains("Subject: =?UTF-8?B?\(Data(subject.utf8).base64EncodedString())?="))
                let body = MailSink.body(raw)
                let start = try #require(body.range(of: "?token="))
                let link = String(body[start.upperBound...].prefix { !$0.isWhitespace })
                #expect(try await CredentialLinks.find(link, on: db) != nil, "\(subject)")
                let stored = try await OutboxMessage.query(on: db).all().map(\.body)
                #expect(!stored.contains { $0.contains(link) })
            }
        }
    }

    /// Header injection through an address is refused before any byte is sent.
    @Test func anAddressThatCouldBreakOutOfItsHeaderIsRefused() {
        for address in ["a@b.test\r\nBcc: x@evil.test", "a@b.test>", "a b@c.test", "", String(repeating: "a", count: 255)] {
            #expect(!SMTPClient.isSafeAddress(address), "\(address)")
        }
        #expect(SMTPClient.isSafeAddress("kay.brook@demo.test"))
    }
}
