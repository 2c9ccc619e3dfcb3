import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

/// Passwords as ASVS V2.1, V2.3 and V7.1 ask: any printable text, helped by password
/// managers, links that expire, and no password, token or code kept where it was typed.
@Suite struct PasswordTests {
    typealias Browser = PageTests.Browser

    /// ASVS V2.1.4: letters of any script, spaces and emoji are all password characters.
    @Test func aPasswordMayBeAnyPrintableUnicode() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let browser = Browser(world)
            try await browser.signIn("amy@demo.test")
            let chosen = "ключ 🔐 密码 ٣ zèbre"
            let done = try await browser.post(
                SiteURL.changePassword.path,
                [("currentPassword", TestWorld.password), ("newPassword", chosen), ("confirmPassword", chosen)])
            #expect(done.status == .ok)
            for (typed, status) in [(chosen, HTTPStatus.created), ("ключ 🔐 密码 3 zèbre", .unauthorized)] {
                let signIn = try await world.send(.POST, APIURL.token.path, json: ["email": "amy@demo.test", "password": typed])
                #expect(signIn.status == status, "\(typed)")
            }
        }
    }

    /// ASVS V2.1.11: every password field tells a password manager what it is, and nothing
    /// stops pasting (no handler, no read-only field, no script on the page).
    @Test func passwordFieldsWelcomePasswordManagersAndPasting() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let signedOut = Browser(world)
            let browser = Browser(world)
            try await browser.signIn("amy@demo.test")
            try await Browser(world).signIn("amy@demo.test")  // so the sessions page offers to end one
            #expect(try await CredentialMailTests().newAccount(world).status == .created)
            let link = SiteURL.credentialLink.path + "?token=" + (try await world.linkToken("kay@demo.test"))
            let pages = [
                ("sign-in", try await signedOut.get(SiteURL.signIn.path)),
                ("change password", try await browser.get(SiteURL.changePassword.path)),
                ("sessions", try await browser.get(SiteURL.sessions.path)),
                ("new account link", try await Browser(world).get(link)),
            ]
            for (what, page) in pages {
                let html = page.body.string
                let fields = html.matches(of: #/<input[^>]*type="password"[^>]*>/#).map { String($0.output) }
                #expect(!fields.isEmpty, "\(what) has a password field")
                for field in fields {
                    #expect(
                        field.contains(#"autocomplete="current-password""#) || field.contains(#"autocomplete="new-password""#),
                        "\(what): \(field)")
                    for blocker in ["onpaste", "oncopy", "readonly", "maxlength=\"1", "maxlength=\"2", "maxlength=\"3"] {
                        #expect(!field.contains(blocker), "\(what): \(field)")
                    }
                }
                #expect(!html.contains("<script>") && !html.contains("onpaste"), "\(what) runs nothing inline")
            }
        }
    }

    /// ASVS V2.3.1: a link is random and single-use, and once its time has passed it opens
    /// nothing, as if it never existed.
    @Test func anUnusedLinkExpires() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            #expect(try await CredentialMailTests().newAccount(world).status == .created)
            let token = try await world.linkToken("kay@demo.test")
            let link = try #require(try await CredentialLink.query(on: world.app.db).first())
            #expect(link.expiresAt <= Date() + CredentialLink.Purpose.newAccount.lifetime)
            #expect(CredentialLink.Purpose.resetPassword.lifetime <= 3600)
            #expect(try await Browser(world).get(SiteURL.credentialLink.path + "?token=" + token).status == .ok)
            link.expiresAt = Date() - 1
            try await link.save(on: world.app.db)
            #expect(try await Browser(world).get(SiteURL.credentialLink.path + "?token=" + token).status == .gone)
            let browser = Browser(world)
            _ = try await browser.get(SiteURL.signIn.path)
            let chosen = "amber violin tractor 9"
            let used = try await browser.post(
                SiteURL.credentialLink.path, [("token", token), ("newPassword", chosen), ("confirmPassword", chosen)])
            #expect(used.status == .gone)
            let signIn = try await world.send(.POST, APIURL.token.path, json: ["email": "kay@demo.test", "password": chosen])
            #expect(signIn.status == .unauthorized)
        }
    }

    /// ASVS V7.1.1: passwords (right, wrong and new), link tokens and API tokens are in no
    /// server log line, no audit entry and no stored session; e-mail holding a link is sealed
    /// at rest. (A used TOTP code is in none either: `eachCodeSignsInOnceAndOnlyWithinAStep`
    /// audits a reused one by channel alone.)
    @Test func noPasswordOrTokenIsKeptWhereItWasTyped() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let log = LogCapture()
            world.app.logger = log.logger
            let wrong = "wrong horse battery 7"
            _ = try await world.send(.POST, APIURL.token.path, json: ["email": "amy@demo.test", "password": wrong])
            // A password typed into the address box, at sign-in and at "forgotten password".
            _ = try await world.send(.POST, APIURL.token.path, json: ["email": wrong, "password": wrong])
            let typedAway = Browser(world)
            _ = try await typedAway.get(SiteURL.forgotPassword.path)
            _ = try await typedAway.post(SiteURL.forgotPassword.path, [("email", wrong)])
            #expect(
                try await AuditEvent.query(on: world.app.db).filter(\.$actorEmail == Auth.noAccount).count() == 2,
                "an address with no account is audited without its text")
            let apiToken = try await world.token("amy@demo.test")
            let browser = Browser(world)
            try await browser.signIn("amy@demo.test")
            let chosen = "amber violin tractor 9"
            _ = try await browser.post(
                SiteURL.changePassword.path,
                [("currentPassword", TestWorld.password), ("newPassword", chosen), ("confirmPassword", chosen)])
            let forgot = Browser(world)
            _ = try await forgot.get(SiteURL.forgotPassword.path)
            _ = try await forgot.post(SiteURL.forgotPassword.path, [("email", "ben@demo.test")])
            let linkToken = try await world.linkToken("ben@demo.test")

            _ = try await Browser(world).get(SiteURL.credentialLink.path + "?token=" + linkToken)
            let secrets = [TestWorld.password, wrong, chosen, apiToken, linkToken]
            // The server's log, at the level a service runs at, has none either.
            #expect(log.all.contains { $0.contains("POST /api/v1/auth/token") }, "each request is logged")
            for secret in secrets {
                let line = log.all.first { $0.contains(secret) }
                #expect(line == nil, "the log holds a secret: \(line ?? "")")
            }
            let audit = try await AuditEvent.query(on: world.app.db).all()
            #expect(audit.count > 4)
            let sessions = try await PageSession.query(on: world.app.db).all()
            let mail = try await OutboxMessage.query(on: world.app.db).all()
            #expect(!mail.isEmpty)
            for secret in secrets {
                for event in audit {
                    #expect(![event.detail, event.actorEmail].contains { $0.contains(secret) }, "audit \(event.action)")
                }
                for session in sessions { #expect(!session.data.contains(secret)) }
                // Sealed at rest; opened, only the reset e-mail holds its own link.
                for message in mail {
                    #expect(!message.body.contains(secret))
                    let opened = try world.body(message)
                    #expect(!opened.contains(secret) || (secret == linkToken && message.recipient == "ben@demo.test"))
                }
            }
        }
    }
}
