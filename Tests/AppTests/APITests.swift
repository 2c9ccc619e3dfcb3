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

@Suite struct ChildrenAPITests {
    @Test func registerSearchAndReadAreAudited() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let childID = try await world.registerChild(as: amy)

            let search = try await world.search("q=lil%20EVA&dob=2016-05-01", token: amy)
            #expect(search.status == .ok)
            let results = try world.json(search)["results"] as? [[String: Any]] ?? []
            let children = results.compactMap { $0["child"] as? [String: Any] }
            #expect(children.map { $0["id"] as? String } == [childID.uuidString])
            #expect(children.first?["postcode"] as? String == "CB1 2AB")

            let miss = try await world.search("q=lily&dob=2016-05-02", token: amy)
            #expect((try world.json(miss)["total"] as? Int) == 0)

            let read = try await world.send(.GET, APIURL.child(childID).path, token: amy)
            #expect(read.status == .ok)

            let events = try await AuditEvent.query(on: world.app.db).sort(\.$occurredAt).all()
            let searches = events.filter { $0.action == "search-children" }
            #expect(searches.count == 2)
            #expect(searches.first?.detail.contains("q=lil EVA") == true)
            #expect(searches.first?.detail.contains(childID.uuidString) == true)
            #expect(events.contains { $0.action == "register-child" && $0.childID == childID })
            #expect(events.contains { $0.action == "view-child" && $0.childID == childID })
        }
    }

    @Test func badInputIsRejectedByNameAndChangesNothing() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let path = APIURL.children.path

            let malformed = try await world.send(.POST, path, token: amy, raw: "{\"givenName\": ")
            #expect(malformed.status == .badRequest)
            #expect(try world.error(malformed).code == "malformed-json")

            let missing = try await world.send(
                .POST, path, token: amy, raw: #"{"givenName": "Lily", "dateOfBirth": "2016-05-01"}"#)
            #expect(missing.status == .unprocessableEntity)
            #expect(try world.error(missing).field == "familyName")

            let wrongType = try await world.send(
                .POST, path, token: amy, raw: #"{"givenName": 7, "familyName": "Evans", "dateOfBirth": "2016-05-01"}"#)
            #expect(wrongType.status == .unprocessableEntity)
            #expect(try world.error(wrongType).field == "givenName")

            let badDate = try await world.send(
                .POST, path, token: amy, raw: #"{"givenName": "Lily", "familyName": "Evans", "dateOfBirth": "2016-02-30"}"#)
            #expect(badDate.status == .unprocessableEntity)
            #expect(try world.error(badDate).field == "dateOfBirth")

            let badPostcode = try await world.send(
                .POST, path, token: amy,
                raw: #"{"givenName": "Lily", "familyName": "Evans", "dateOfBirth": "2016-02-03", "postcode": "XYZ"}"#)
            #expect(try world.error(badPostcode).field == "postcode")

            let text = try await world.send(.POST, path, token: amy, raw: "givenName=Lily", contentType: .urlEncodedForm)
            #expect(text.status == .unsupportedMediaType)

            let huge = String(repeating: "a", count: 300_000)
            let oversized = try await world.send(
                .POST, path, token: amy, raw: #"{"givenName": "\#(huge)", "familyName": "E", "dateOfBirth": "2016-05-01"}"#)
            #expect(oversized.status == .payloadTooLarge)

            let unknown = try await world.send(.GET, APIURL.child(UUID()).path, token: amy)
            #expect(unknown.status == .notFound)
            #expect(try world.error(unknown).code == "not-found")
            #expect(try await world.send(.GET, "/api/v1/children/not-a-uuid", token: amy).status == .notFound)

            #expect(try await Child.query(on: world.app.db).count() == 0)
        }
    }

    @Test func identifiersAreValidatedAndFindTheChildExactly() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let path = APIURL.children.path
            let badNHS = try await world.send(
                .POST, path, token: amy,
                raw: #"{"givenName": "Ned", "familyName": "Id", "dateOfBirth": "2014-01-02", "nhsNumber": "943 476 5918"}"#)
            #expect(try world.error(badNHS).field == "nhsNumber")
            let badUPN = try await world.send(
                .POST, path, token: amy,
                raw: #"{"givenName": "Ned", "familyName": "Id", "dateOfBirth": "2014-01-02", "upn": "A801200005001"}"#)
            #expect(try world.error(badUPN).field == "upn")
            let created = try await world.send(
                .POST, path, token: amy,
                raw:
                    #"{"givenName": "Ned", "familyName": "Id", "dateOfBirth": "2014-01-02", "nhsNumber": "943 476 5919", "upn": "b801 2000 05001"}"#
            )
            #expect(created.status == .created)
            let body = try world.json(created)
            #expect(body["nhsNumber"] as? String == "9434765919")
            #expect(body["upn"] as? String == "B801200005001")
            _ = try await world.registerChild(as: amy)
            for identifier in ["9434765919", "B801200005001"] {
                let found = try world.json(try await world.search("identifier=\(identifier)", token: amy))
                let children = (found["results"] as? [[String: Any]])?.compactMap { $0["child"] as? [String: Any] }
                #expect(children?.map { $0["givenName"] as? String } == ["Ned"])
            }
            let nonsense = try await world.search("identifier=12345", token: amy)
            #expect(try world.error(nonsense).field == "identifier")
        }
    }

    @Test func adminsAndAnalystsCannotUseTheIndex() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            for email in ["fay@demo.test", "nat@demo.test"] {
                let token = try await world.token(email)
                #expect(try await world.search("q=lily", token: token).status == .forbidden)
            }
        }
    }
}
