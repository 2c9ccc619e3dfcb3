import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

/// Registering a child who looks like one already in the index warns and names them.
@Suite struct DuplicateTests {
    func register(_ world: TestWorld, as token: String, _ fields: [String: Any]) async throws -> TestingHTTPResponse {
        try await world.send(.POST, APIURL.children.path, token: token, raw: try TestWorld.jsonText(fields))
    }

    @Test func aLookalikeIsRefusedWithTheRecordsItMayDuplicate() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let lily = try await register(
                world, as: amy,
                ["givenName": "Lily", "familyName": "Evans", "dateOfBirth": "2016-05-01", "nhsNumber": "943 476 5919"])
            #expect(lily.status == .created)
            let lilyID = try world.json(lily)["id"] as! String

            for (fields, why) in [
                (["givenName": "Lily", "familyName": "Evans", "dateOfBirth": "2016-05-01"], "the same name and birthday"),
                (["givenName": "Lilly", "familyName": "Evens", "dateOfBirth": "2016-05-01"], "a slip in each name"),
                (["givenName": "Lily", "familyName": "Morgan", "dateOfBirth": "2016-05-01"], "a new surname, same birthday"),
                (
                    ["givenName": "Grace", "familyName": "Hill", "dateOfBirth": "2012-01-01", "nhsNumber": "9434765919"],
                    "the NHS number"
                ),
            ] {
                let again = try await register(world, as: amy, fields)
                #expect(again.status == .conflict, "\(why)")
                let error = try world.json(again)["error"] as? [String: Any]
                #expect(error?["code"] as? String == "possible-duplicate", "\(why)")
                #expect(error?["related"] as? [String] == [lilyID], "\(why)")
            }
            let other = try await register(
                world, as: amy, ["givenName": "Lily", "familyName": "Evans", "dateOfBirth": "2016-05-02"])
            #expect(other.status == .created)
            let confirmed = try await register(
                world, as: amy, ["givenName": "Lily", "familyName": "Evans", "dateOfBirth": "2016-05-01", "notADuplicate": true])
            #expect(confirmed.status == .created)
            #expect(try await Child.query(on: world.app.db).count() == 3)
        }
    }

    @Test func theRegistrationPageOffersTheExistingRecord() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let existing = try await world.registerChild(as: amy)
            let browser = PageTests.Browser(world)
            try await browser.signIn("amy@demo.test")
            _ = try await browser.get(SiteURL.registerChild.path)
            let fields = [
                ("givenName", "Lily"), ("familyName", "Evans"), ("dateOfBirth-day", "1"), ("dateOfBirth-month", "5"),
                ("dateOfBirth-year", "2016"),
            ]
            let warned = try await browser.post(SiteURL.registerChild.path, fields)
            #expect(warned.status == .conflict)
            #expect(warned.body.string.contains("may already be in the index"))
            #expect(warned.body.string.contains(SiteURL.child(existing).path))
            #expect(warned.body.string.contains(#"value="Lily""#))  // what was typed is kept
            let registered = try await browser.post(SiteURL.registerChild.path, fields + [("notADuplicate", "yes")])
            #expect(registered.status == .seeOther)
        }
    }
}
