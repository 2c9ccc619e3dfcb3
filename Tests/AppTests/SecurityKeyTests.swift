import Fluent
import Foundation
import OneTimePasswords
import Testing
import VaporTesting
import WebAuthn
import WebAuthnTesting

@testable import App

/// Security keys (WebAuthn, ASVS V2.2.4, V2.3.2): added by their holder with their password,
/// then asked for at sign-in instead of a code. Each answer is made by a real P-256 key
/// (`SoftwareKey`) as a browser would pass it on, against the challenge the page gave.
@Suite struct SecurityKeyTests {
    typealias Browser = PageTests.Browser

    static func attribute(_ name: String, in html: String) throws -> String {
        let value = try #require(html.range(of: "data-\(name)=\"").map { html[$0.upperBound...].prefix { $0 != "\"" } })
        return String(value)
    }

    /// Adds a key from the security keys page, as the page's script would post its answer.
    @discardableResult
    static func add(
        _ key: SoftwareKey, named name: String = "My key", password: String = TestWorld.password, code: String? = nil,
        origin: String? = nil, with browser: Browser
    ) async throws -> TestingHTTPResponse {
        let page = try await browser.get(SiteURL.securityKeys.path)
        let challenge = try #require(Base64URL.decode(try attribute("challenge", in: page.body.string)))
        let site = SecurityKeys.relyingParty(browser.world.app)
        return try await browser.post(
            SiteURL.securityKeys.path,
            [
                ("name", name), ("password", password), ("credentialId", Base64URL.encode(key.credentialID)),
                (
                    "clientDataJSON",
                    Base64URL.encode(
                        SoftwareKey.clientData(type: "webauthn.create", challenge: challenge, origin: origin ?? site.origin))
                ),
                ("attestationObject", Base64URL.encode(key.attestationObject())),
            ] + (code.map { [("code", $0)] } ?? []))
    }

    /// Signs in with the password, then answers the key page's challenge with `key`.
    static func signIn(
        _ email: String, answeringWith key: SoftwareKey, count: UInt32, origin: String? = nil, with browser: Browser
    ) async throws -> TestingHTTPResponse {
        _ = try await browser.get(SiteURL.signIn.path)
        let password = try await browser.post(SiteURL.signIn.path, [("email", email), ("password", TestWorld.password)])
        #expect(password.headers.first(name: .location) == SiteURL.signInCode.path)
        let page = try await browser.get(SiteURL.signInCode.path)
        #expect(page.body.string.contains("Use your security key"))
        let challenge = try #require(Base64URL.decode(try attribute("challenge", in: page.body.string)))
        return try await answer(challenge, with: key, count: count, origin: origin, browser: browser)
    }

    static func answer(
        _ challenge: [UInt8], with key: SoftwareKey, count: UInt32, origin: String? = nil, browser: Browser
    ) async throws -> TestingHTTPResponse {
        let site = SecurityKeys.relyingParty(browser.world.app)
        let answer = try key.assertion(challenge: challenge, origin: origin ?? site.origin, count: count)
        return try await browser.post(
            SiteURL.signInSecurityKey.path,
            [
                ("credentialId", Base64URL.encode(key.credentialID)),
                ("clientDataJSON", Base64URL.encode(answer.clientDataJSON)),
                ("authenticatorData", Base64URL.encode(answer.authenticatorData)),
                ("signature", Base64URL.encode(answer.signature)),
            ])
    }

    /// Gives a persona an authenticator app and signs them in with its code; its secret.
    @discardableResult
    static func signInWithApp(_ email: String, _ browser: Browser) async throws -> [UInt8] {
        let secret = try await browser.world.giveAuthenticatorApp(to: email)
        _ = try await browser.get(SiteURL.signIn.path)
        _ = try await browser.post(SiteURL.signIn.path, [("email", email), ("password", TestWorld.password)])
        _ = try await browser.get(SiteURL.signInCode.path)
        let code = TOTP.code(secret: secret, step: TOTP.step(at: Date()))
        #expect(try await browser.post(SiteURL.signInCode.path, [("code", code)]).status == .seeOther)
        return secret
    }

    static func key(for world: TestWorld) -> SoftwareKey {
        SoftwareKey(relyingPartyID: SecurityKeys.relyingParty(world.app).id)
    }

    func events(_ action: AuditAction, _ world: TestWorld) async throws -> [AuditEvent] {
        try await AuditEvent.query(on: world.app.db).filter(\.$action == action.rawValue).sort(\.$sequence).all()
    }

    @Test func aKeyAddedWithThePasswordIsAskedForAtSignInInsteadOfACode() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let browser = Browser(world)
            let secret = try await Self.signInWithApp("amy@demo.test", browser)

            // Her app's code too, as she has one: a session won by relaying a code does not
            // add the phisher's key with the password alone.
            let key = Self.key(for: world)
            let withoutCode = try await Self.add(key, named: "Blue key", with: browser)
            #expect(withoutCode.status == .unprocessableEntity)
            #expect(withoutCode.body.string.contains("The code is not right"))
            let nextStep = TOTP.code(secret: secret, step: TOTP.step(at: Date()) + 1)
            let added = try await Self.add(key, named: "Blue key", code: nextStep, with: browser)
            #expect(added.status == .ok)
            #expect(added.body.string.contains("Security key ‘Blue key’ added"))
            let stored = try await SecurityKey.query(on: world.app.db).all()
            let amy = try await world.signedIn("amy@demo.test")
            #expect(stored.map(\.name) == ["Blue key"] && stored.first?.$practitioner.id == amy.id)
            #expect(stored.first?.publicKey == Base64URL.encode(Array(key.key.publicKey.x963Representation)))
            #expect(try await events(.addSecurityKey, world).map(\.outcome) == [AuditOutcome.allowed.rawValue])
            #expect(try await world.outbox("amy@demo.test").map(\.subject) == ["A security key was added to your eCAF account"])

            // Next time, the key is asked for and a code no longer signs in: a phishing page
            // that relays codes gets nowhere.
            let later = Browser(world)
            _ = try await later.get(SiteURL.signIn.path)
            _ = try await later.post(SiteURL.signIn.path, [("email", "amy@demo.test"), ("password", TestWorld.password)])
            let asked = try await later.get(SiteURL.signInCode.path)
            #expect(asked.body.string.contains("Use your security key") && !asked.body.string.contains(#"name="code""#))
            let nextCode = TOTP.code(secret: secret, step: TOTP.step(at: Date()) + 1)
            let byCode = try await later.post(SiteURL.signInCode.path, [("code", nextCode)])
            #expect(byCode.headers.first(name: .location) == SiteURL.signInCode.path)
            #expect(try await later.get(SiteURL.home.path).status == .seeOther)

            let signedIn = try await Self.signIn("amy@demo.test", answeringWith: key, count: 1, with: later)
            #expect(signedIn.headers.first(name: .location) == SiteURL.home.path)
            #expect(try await later.get(SiteURL.home.path).status == .ok)
            let signIns = try await events(.signIn, world).map(\.detail)
            #expect(signIns.last == "web, security key")
            // Nor does the API give her a token for her password and a code.
            let token = try await world.send(
                .POST, "/api/v1/auth/token",
                raw: #"{"email":"amy@demo.test","password":"\#(TestWorld.password)","code":"123456"}"#)
            #expect(token.status == .forbidden && token.body.string.contains("security-key-required"))
            let used = try await SecurityKey.query(on: world.app.db).first()
            #expect(used?.signCount == 1 && used?.lastUsedAt != nil)
        }
    }

    @Test func anAnswerMadeOnAnotherSiteOrForAnotherAccountDoesNotSignIn() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amys = Self.key(for: world)
            let bens = Self.key(for: world)
            let amy = Browser(world)
            try await amy.signIn("amy@demo.test")
            try await Self.add(amys, with: amy)
            let ben = Browser(world)
            try await ben.signIn("ben@demo.test")
            try await Self.add(bens, with: ben)

            // A look-alike site relaying amy's key: the browser signed for the page it was on.
            let phished = Browser(world)
            let relayed = try await Self.signIn(
                "amy@demo.test", answeringWith: amys, count: 1, origin: "https://ecaf-login.example", with: phished)
            #expect(relayed.status == .unprocessableEntity)
            #expect(relayed.body.string.contains("could not accept your security key"))
            #expect(try await phished.get(SiteURL.home.path).status == .seeOther)

            // Ben's own key, answering for amy's password.
            let borrowed = Browser(world)
            let other = try await Self.signIn("amy@demo.test", answeringWith: bens, count: 1, with: borrowed)
            #expect(other.status == .unprocessableEntity)
            #expect(try await borrowed.get(SiteURL.home.path).status == .seeOther)

            // An answer captured on its way and sent again from another session, which has
            // its own challenge: refused, though the first use signed in.
            let first = Browser(world)
            _ = try await first.get(SiteURL.signIn.path)
            _ = try await first.post(SiteURL.signIn.path, [("email", "amy@demo.test"), ("password", TestWorld.password)])
            let page = try await first.get(SiteURL.signInCode.path)
            let challenge = try #require(Base64URL.decode(try Self.attribute("challenge", in: page.body.string)))
            #expect(try await Self.answer(challenge, with: amys, count: 2, browser: first).status == .seeOther)
            let replay = Browser(world)
            _ = try await replay.get(SiteURL.signIn.path)
            _ = try await replay.post(SiteURL.signIn.path, [("email", "amy@demo.test"), ("password", TestWorld.password)])
            _ = try await replay.get(SiteURL.signInCode.path)
            #expect(try await Self.answer(challenge, with: amys, count: 3, browser: replay).status == .unprocessableEntity)
            #expect(try await replay.get(SiteURL.home.path).status == .seeOther)

            let failures = try await events(.signInFailed, world).map(\.detail)
            #expect(failures.contains { $0.hasPrefix("web security key, wrong origin https://ecaf-login.example") })
            #expect(failures.contains("web security key, not one of theirs"))
            #expect(failures.contains("web security key, wrong challenge"))
        }
    }

    @Test func aCopiedKeyIsRefusedAndItsHolderTold() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let key = Self.key(for: world)
            let amy = Browser(world)
            try await amy.signIn("amy@demo.test")
            try await Self.add(key, with: amy)
            #expect(
                try await Self.signIn("amy@demo.test", answeringWith: key, count: 5, with: Browser(world)).status == .seeOther)
            // A copy that has counted less than the original.
            let copy = try await Self.signIn("amy@demo.test", answeringWith: key, count: 3, with: Browser(world))
            #expect(copy.status == .unprocessableEntity)
            #expect(try await SecurityKey.query(on: world.app.db).first()?.signCount == 5)
            let subjects = try await world.outbox("amy@demo.test").map(\.subject)
            #expect(subjects.last == "Someone signing in to eCAF as you used a copy of your security key")
            #expect(
                try await events(.signInFailed, world).last?.detail == "web security key, counter went back (stored 5, sent 3)")
        }
    }

    @Test func addingAKeyNeedsThePasswordAndAnAnswerToThisPagesChallenge() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = Browser(world)
            try await amy.signIn("amy@demo.test")
            let key = Self.key(for: world)
            let wrongPassword = try await Self.add(key, password: "not-her-password", with: amy)
            #expect(wrongPassword.status == .unprocessableEntity)
            #expect(wrongPassword.body.string.contains("Your password is not right"))
            let phished = try await Self.add(key, origin: "https://ecaf-login.example", with: amy)
            #expect(phished.status == .unprocessableEntity)
            #expect(phished.body.string.contains("could not accept the key’s answer"))
            // No answer: the script could not run, or the person cancelled.
            _ = try await amy.get(SiteURL.securityKeys.path)
            let cancelled = try await amy.post(
                SiteURL.securityKeys.path,
                [("name", "Spare"), ("password", TestWorld.password), ("failure", "NotAllowedError")])
            #expect(cancelled.body.string.contains("not used in time, or you cancelled"))
            let noName = try await Self.add(key, named: "  ", with: amy)
            #expect(noName.body.string.contains("Enter a name for the key"))
            #expect(try await SecurityKey.query(on: world.app.db).count() == 0)
            #expect(try await events(.addSecurityKey, world).map(\.outcome) == [AuditOutcome.denied.rawValue])

            // One key answers for one account.
            #expect(try await Self.add(key, with: amy).status == .ok)
            let ben = Browser(world)
            try await ben.signIn("ben@demo.test")
            let again = try await Self.add(key, with: ben)
            #expect(again.body.string.contains("already added to an account"))
            #expect(try await SecurityKey.query(on: world.app.db).count() == 1)
        }
    }

    @Test func aHostileNameIsShownAsTextAndAnOverlongAnswerIsRefused() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = Browser(world)
            try await amy.signIn("amy@demo.test")
            let hostile = #"x"><script>alert(1)</script>&=%"#
            #expect(try await Self.add(Self.key(for: world), named: hostile, with: amy).status == .ok)
            // In the audit log too, the name is kept as typed text, never as its own fields.
            #expect(try await events(.addSecurityKey, world).last?.detail == "web, \(Audit.typed(hostile))")
            #expect(Audit.typed(hostile).hasSuffix("&%3D%25"))
            let page = try await amy.get(SiteURL.securityKeys.path).body.string
            #expect(!page.contains("<script>alert") && page.contains("&gt;&lt;script&gt;alert(1)&lt;/script&gt;&amp;"))
            let long = try await amy.post(
                SiteURL.securityKeys.path,
                [("name", "Spare"), ("password", TestWorld.password), ("credentialId", String(repeating: "A", count: 4001))])
            #expect(long.status == .unprocessableEntity)
            #expect(long.body.string.contains("credentialId must be 4000 characters or fewer"))
        }
    }

    @Test func aKeyIsRemovedByItsHolderWithTheirPasswordAndByAReset() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = Browser(world)
            try await amy.signIn("amy@demo.test")
            let elsewhere = Browser(world)
            try await elsewhere.signIn("amy@demo.test")
            try await Self.add(Self.key(for: world), named: "First", with: amy)
            // A change of second factor ends every other session of hers; this one goes on.
            #expect(try await amy.get(SiteURL.home.path).status == .ok)
            #expect(try await elsewhere.get(SiteURL.home.path).status == .seeOther)
            try await Self.add(Self.key(for: world), named: "Second", with: amy)
            let keys = try await SecurityKey.query(on: world.app.db).sort(\.$createdAt).all()
            let path = SiteURL.removeSecurityKey(keys[0].id!).path

            let ben = Browser(world)
            try await ben.signIn("ben@demo.test")
            #expect(try await ben.get(path).status == .notFound)
            _ = try await ben.get(SiteURL.securityKeys.path)
            #expect(try await ben.post(path, [("password", TestWorld.password)]).status == .notFound)

            #expect(try await amy.get(path).body.string.contains("Remove the security key ‘First’"))
            #expect(try await amy.post(path, [("password", "wrong")]).status == .unprocessableEntity)
            #expect(try await SecurityKey.query(on: world.app.db).count() == 2)
            let removed = try await amy.post(path, [("password", TestWorld.password)])
            #expect(removed.body.string.contains("Security key ‘First’ removed"))
            #expect(try await SecurityKey.query(on: world.app.db).all().map(\.name) == ["Second"])
            #expect(try await events(.removeSecurityKey, world).count == 1)
            #expect(try await world.outbox("amy@demo.test").last?.subject == "A security key was removed from your eCAF account")

            // Every key lost: the administrator's reset takes the keys with the app's secret.
            let practitioner = try await Practitioner.query(on: world.app.db).filter(\.$email == "amy@demo.test").first()!
            _ = try await Administration.update(
                practitioner.id!, .init(resetTwoFactor: true), basedOn: practitioner.version,
                by: try await world.signedIn("fay@demo.test"), mail: world.app.mail, on: world.app.db)
            #expect(try await SecurityKey.query(on: world.app.db).count() == 0)
        }
    }

    @Test func theOnlySecondFactorIsNotRemovedAndAdministratorsSeeKeysAsOne() async throws {
        try await TestWorld.run(twoFactorRequired: true) { (world: TestWorld) async throws in
            // Amy signs in with a key and has no authenticator app.
            let key = Self.key(for: world)
            let amy = try await Practitioner.query(on: world.app.db).filter(\.$email == "amy@demo.test").first()!
            let stored = SecurityKey()
            stored.$practitioner.id = amy.id!
            stored.credentialID = Base64URL.encode(key.credentialID)
            stored.publicKey = Base64URL.encode(Array(key.key.publicKey.x963Representation))
            (stored.signCount, stored.name, stored.createdAt) = (0, "Only key", Date())
            try await stored.create(on: world.app.db)
            amy.securityKeyCount = 1
            try await amy.save(on: world.app.db)
            let browser = Browser(world)
            #expect(try await Self.signIn("amy@demo.test", answeringWith: key, count: 1, with: browser).status == .seeOther)

            let path = SiteURL.removeSecurityKey(stored.id!).path
            let page = try await browser.get(path)
            #expect(page.body.string.contains("It is your only second factor, so it cannot be removed"))
            #expect(!page.body.string.contains("Remove the key</button>"))
            let refused = try await browser.post(path, [("password", TestWorld.password)])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("This key is your only second factor"))
            #expect(try await SecurityKey.query(on: world.app.db).count() == 1)

            // Her administrator can reset it (she has a second factor), and not resend a new
            // account's link, which would let the mailbox alone take the account.
            let fay = Browser(world)
            try await Self.signInWithApp("fay@demo.test", fay)
            let account = try await fay.get(SiteURL.adminAccount(amy.id!).path).body.string
            #expect(account.contains(#"name="resetTwoFactor""#) && !account.contains(#"name="resendNewAccountLink""#))
        }
    }
}
