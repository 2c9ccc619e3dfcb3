import CAFCore
import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

@Suite struct AuthAPITests {
    @Test func healthAndReadiness() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            #expect(try await world.send(.GET, SiteURL.health.path).status == .ok)
            #expect(try await world.send(.GET, SiteURL.ready.path).status == .ok)
        }
    }

    @Test func tokenSignInMeAndSignOut() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let token = try await world.token("amy@demo.test")
            let me = try await world.send(.GET, APIURL.me.path, token: token)
            #expect(me.status == .ok)
            #expect(me.headers.first(name: .cacheControl) == "no-store")
            let body = try world.json(me)
            #expect(body["email"] as? String == "amy@demo.test")
            #expect(body["roles"] as? [String] == ["practitioner"])

            #expect(try await world.send(.DELETE, APIURL.token.path, token: token).status == .noContent)
            #expect(try await world.send(.GET, APIURL.me.path, token: token).status == .unauthorized)
        }
    }

    /// A token signs in only while unexpired, only its holder, and never a disabled account:
    /// sign-in is one hand-written statement (issue 16), so each condition is held here.
    @Test func aTokenSignsInItsHolderOnlyWhileUnexpiredAndEnabled() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try #require(try await Practitioner.query(on: world.app.db).filter(\.$email == "amy@demo.test").first())
            let ben = try #require(try await Practitioner.query(on: world.app.db).filter(\.$email == "ben@demo.test").first())
            try await APIToken(tokenHash: Auth.digest("amy-live"), practitionerID: amy.id!, expiresAt: Date() + 60)
                .create(on: world.app.db)
            try await APIToken(tokenHash: Auth.digest("amy-expired"), practitionerID: amy.id!, expiresAt: Date() - 1)
                .create(on: world.app.db)
            try await APIToken(tokenHash: Auth.digest("ben-live"), practitionerID: ben.id!, expiresAt: Date() + 60)
                .create(on: world.app.db)

            let me = try await world.send(.GET, APIURL.me.path, token: "amy-live")
            #expect(me.status == .ok)
            #expect(try world.json(me)["email"] as? String == "amy@demo.test")
            let organisation = try #require(try await Organisation.find(amy.$organisation.id, on: world.app.db))
            let shown = try #require(try world.json(me)["organisation"] as? [String: Any])
            #expect(shown["id"] as? String == organisation.id?.uuidString)
            #expect(shown["name"] as? String == organisation.name)
            #expect(shown["agencyType"] as? String == organisation.agencyType.rawValue)
            #expect(shown["localAuthorityId"] as? String == organisation.$localAuthority.id.uuidString)
            #expect(shown["version"] as? Int == organisation.version)
            #expect(try await world.send(.GET, APIURL.me.path, token: "amy-expired").status == .unauthorized)

            ben.disabled = true
            try await ben.save(on: world.app.db)
            #expect(try await world.send(.GET, APIURL.me.path, token: "ben-live").status == .unauthorized)
        }
    }

    @Test func wrongPasswordAndUnknownAccountGetTheSameAnswer() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let wrong = try await world.send(
                .POST, APIURL.token.path, json: ["email": "amy@demo.test", "password": "nope-nope-nope"])
            let unknown = try await world.send(
                .POST, APIURL.token.path, json: ["email": "zed@demo.test", "password": "nope-nope-nope"])
            #expect(wrong.status == .unauthorized)
            #expect(unknown.status == .unauthorized)
            #expect(try world.error(wrong).message == world.error(unknown).message)
            let failures = try await AuditEvent.query(on: world.app.db).filter(\.$action == "sign-in-failed").count()
            #expect(failures == 2)
        }
    }

    @Test func disablingAnAccountEndsItsTokensAndSessionsAtOnce() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let token = try await world.token("amy@demo.test")
            let browser = PageTests.Browser(world)
            try await browser.signIn("amy@demo.test")
            #expect(try await browser.get(SiteURL.findChild.path).status == .ok)
            let amy = try #require(try await Practitioner.query(on: world.app.db).filter(\.$email == "amy@demo.test").first())
            amy.disabled = true
            try await amy.save(on: world.app.db)
            #expect(try await world.send(.GET, APIURL.me.path, token: token).status == .unauthorized)
            #expect(try await browser.get(SiteURL.findChild.path).status == .seeOther)
            let again = try await world.send(
                .POST, APIURL.token.path, json: ["email": "amy@demo.test", "password": TestWorld.password])
            #expect(again.status == .unauthorized)
        }
    }

    @Test func everyAPIRouteButSignInNeedsAToken() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let response = try await world.search("q=lily", token: nil)
            #expect(response.status == .unauthorized)
            #expect(try world.error(response).code == "unauthenticated")
            #expect(try await world.send(.GET, APIURL.me.path, token: "forged").status == .unauthorized)
        }
    }

    @Test func newPasswordHashesUseBcryptCostTwelve() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let hash = try await Passwords.hash("a-long-enough-password", pepper: try world.app.requirePepper())
            #expect(hash.hasPrefix("pepper1:$2b$12$"))
            #expect(Passwords.cost >= 12)
            #expect(Passwords.decoyHash.hasPrefix("$2b$12$"))
        }
    }

    @Test func tokensAreStoredOnlyAsDigests() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let token = try await world.token("ben@demo.test")
            let stored = try await APIToken.query(on: world.app.db).all().map(\.tokenHash)
            #expect(!stored.contains(token))
            #expect(stored.contains(Auth.digest(token)))
        }
    }
}
