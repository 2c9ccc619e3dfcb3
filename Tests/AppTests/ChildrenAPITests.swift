import CAFCore
import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

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
