import Fluent
import Foundation
import OneTimePasswords
import Testing
import VaporTesting

@testable import App

/// Two-factor sign-in: required outside --demo, set up with a QR code or key, each code once.
@Suite struct TwoFactorTests {
    typealias Browser = PageTests.Browser

    /// Signs in with the password, is sent to set-up, reads the key off the page and proves
    /// it; returns the secret and the step whose code was used.
    func setUp(_ browser: Browser, _ email: String) async throws -> (secret: [UInt8], step: Int64) {
        _ = try await browser.get(SiteURL.signIn.path)
        let password = try await browser.post(SiteURL.signIn.path, [("email", email), ("password", TestWorld.password)])
        #expect(password.headers.first(name: .location) == SiteURL.twoFactor.path)
        let page = try await browser.get(SiteURL.twoFactor.path)
        let html = page.body.string
        #expect(html.contains("<svg") && html.contains("QR code to add eCAF"))
        let key = try #require(html.range(of: #"id="manual-key">"#).map { html[$0.upperBound...].prefix { $0 != "<" } })
        let secret = try #require(Base32.decode(String(key)))
        #expect(secret.count == 20)
        let wrong = try await browser.post(SiteURL.twoFactor.path, [("code", "000000")])
        #expect(wrong.status == .unprocessableEntity)
        #expect(wrong.body.string.contains("The code is not right"))
        let step = TOTP.step(at: Date())
        let done = try await browser.post(SiteURL.twoFactor.path, [("code", TOTP.code(secret: secret, step: step))])
        #expect(done.headers.first(name: .location) == SiteURL.home.path)
        return (secret, step)
    }

    /// Issue 12: the "waiting for the code" state lived in the session begun before sign-in,
    /// so an id fixed before the password was still good after it.
    @Test func theSessionIdChangesWhenThePasswordIsAcceptedAndAgainWhenTheCodeIs() async throws {
        try await TestWorld.run(twoFactorRequired: true) { (world: TestWorld) async throws in
            let secret = try await world.giveAuthenticatorApp(to: "amy@demo.test")
            let browser = Browser(world)
            _ = try await browser.get(SiteURL.signIn.path)
            let before = try #require(browser.cookie)
            _ = try await browser.post(SiteURL.signIn.path, [("email", "amy@demo.test"), ("password", TestWorld.password)])
            let waiting = try #require(browser.cookie)
            #expect(waiting != before)
            _ = try await browser.get(SiteURL.signInCode.path)
            let code = TOTP.code(secret: secret, step: TOTP.step(at: Date()))
            let done = try await browser.post(SiteURL.signInCode.path, [("code", code)])
            #expect(done.headers.first(name: .location) == SiteURL.home.path)
            let signedIn = try #require(browser.cookie)
            #expect(signedIn != waiting && signedIn != before)
            #expect(try await browser.get(SiteURL.home.path).status == .ok)
            // Neither earlier id is worth anything now.
            for old in [before, waiting] {
                browser.cookie = old
                #expect(try await browser.get(SiteURL.home.path).status == .seeOther)
                #expect(try await browser.get(SiteURL.signInCode.path).status == .seeOther)
            }
        }
    }

    @Test func outsideDemoEveryoneSetsItUpBeforeTheyAreSignedIn() async throws {
        try await TestWorld.run(twoFactorRequired: true) { (world: TestWorld) async throws in
            let browser = Browser(world)
            _ = try await browser.get(SiteURL.signIn.path)
            _ = try await browser.post(SiteURL.signIn.path, [("email", "amy@demo.test"), ("password", TestWorld.password)])
            // A checked password alone signs no one in.
            #expect(try await browser.get(SiteURL.findChild.path).status == .seeOther)
            let secret = try await setUp(Browser(world), "amy@demo.test").secret
            let stored = try await Practitioner.query(on: world.app.db).filter(\.$email == "amy@demo.test").first()
            let opened = try stored.flatMap { try TwoFactor.secret(of: $0, on: world.app) }
            #expect(opened == secret)
            let events = try await AuditEvent.query(on: world.app.db).filter(\.$action == AuditAction.setUpTwoFactor.rawValue)
                .count()
            #expect(events == 1)

            // The API refuses a token to anyone who has not set it up.
            let ben = try await world.send(
                .POST, APIURL.token.path, json: ["email": "ben@demo.test", "password": TestWorld.password])
            #expect(ben.status == .forbidden)
            #expect(try world.error(ben).code == "two-factor-not-set-up")
        }
    }

    @Test func eachCodeSignsInOnceAndOnlyWithinAStep() async throws {
        try await TestWorld.run(twoFactorRequired: true) { (world: TestWorld) async throws in
            let (secret, used) = try await setUp(Browser(world), "amy@demo.test")
            func token(_ code: String?) async throws -> TestingHTTPResponse {
                var body = ["email": "amy@demo.test", "password": TestWorld.password]
                body["code"] = code
                return try await world.send(.POST, APIURL.token.path, json: body)
            }
            #expect(try world.error(try await token(nil)).code == "code-required")
            // The set-up code cannot be used again, nor one from too far ahead.
            #expect(try world.error(try await token(TOTP.code(secret: secret, step: used))).code == "invalid-code")
            let now = TOTP.step(at: Date())
            #expect(try world.error(try await token(TOTP.code(secret: secret, step: now + 3))).code == "invalid-code")
            // A code not used yet, within a step of now (however long the set-up took).
            let next = TOTP.code(secret: secret, step: max(used + 1, now))
            #expect(try await token(next).status == .created)
            // ASVS V2.8.5: a used code sent again is refused, audited as reused, and its holder told.
            func reused() async throws -> Int {
                try await AuditEvent.query(on: world.app.db).filter(\.$detail == "api code reused").count()
            }
            let (reusedBefore, toldBefore) = (try await reused(), try await world.outbox("amy@demo.test").count)
            #expect(try world.error(try await token(next)).code == "invalid-code")
            #expect(try await reused() == reusedBefore + 1)
            let told = try await world.outbox("amy@demo.test")
            #expect(told.count == toldBefore + 1)
            #expect(
                try world.body(try #require(told.last)).contains("a code from your authenticator app that had already been used"))

            // The pages ask for the code after the password, and the same rule holds.
            let browser = Browser(world)
            _ = try await browser.get(SiteURL.signIn.path)
            let password = try await browser.post(
                SiteURL.signIn.path, [("email", "amy@demo.test"), ("password", TestWorld.password)])
            #expect(password.headers.first(name: .location) == SiteURL.signInCode.path)
            #expect(try await browser.get(SiteURL.signInCode.path).status == .ok)
            #expect(try await browser.post(SiteURL.signInCode.path, [("code", next)]).status == .unprocessableEntity)
            #expect(try await browser.get(SiteURL.home.path).status == .seeOther)
        }
    }

    /// Wrong codes take turns like wrong passwords: whoever has the password cannot guess
    /// codes at speed, and a right code then waits too.
    @Test func wrongCodesAreThrottledLikeWrongPasswords() async throws {
        try await TestWorld.run(twoFactorRequired: true) { (world: TestWorld) async throws in
            let secret = try await setUp(Browser(world), "amy@demo.test").secret
            var statuses: [HTTPStatus] = []
            for _ in 0..<(world.app.throttle.attempts + 2) {
                let response = try await world.send(
                    .POST, APIURL.token.path, json: ["email": "amy@demo.test", "password": TestWorld.password, "code": "123456"])
                statuses.append(response.status)
            }
            #expect(statuses.contains(.unauthorized) && statuses.last == .tooManyRequests, "\(statuses)")
            let right = TOTP.code(secret: secret, step: TOTP.step(at: Date()) + 1)
            let slowed = try await world.send(
                .POST, APIURL.token.path, json: ["email": "amy@demo.test", "password": TestWorld.password, "code": right])
            #expect(slowed.status == .tooManyRequests)
        }
    }

    @Test func theCodePageNeedsAPasswordFirst() async throws {
        try await TestWorld.run(twoFactorRequired: true) { (world: TestWorld) async throws in
            let browser = Browser(world)
            let response = try await browser.get(SiteURL.signInCode.path)
            #expect(response.headers.first(name: .location) == SiteURL.signIn.path)
            #expect(try await browser.get(SiteURL.twoFactor.path).headers.first(name: .location) == SiteURL.signIn.path)
        }
    }

    @Test func underDemoItIsOptionalButOnceSetUpItIsAsked() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let browser = Browser(world)
            try await browser.signIn("amy@demo.test")
            let page = try await browser.get(SiteURL.twoFactor.path)
            let html = page.body.string
            let key = try #require(html.range(of: #"id="manual-key">"#).map { html[$0.upperBound...].prefix { $0 != "<" } })
            let secret = try #require(Base32.decode(String(key)))
            let done = try await browser.post(
                SiteURL.twoFactor.path, [("code", TOTP.code(secret: secret, step: TOTP.step(at: Date())))])
            #expect(done.body.string.contains("Two-factor sign-in is set up"))
            let token = try await world.send(
                .POST, APIURL.token.path, json: ["email": "amy@demo.test", "password": TestWorld.password])
            #expect(try world.error(token).code == "code-required")
        }
    }
}
