import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

/// Services involved with a child, and the sensitive ones only their service and those it
/// names see.
@Suite struct InvolvementTests {
    func services(_ world: TestWorld, _ child: UUID, as token: String) async throws -> [String] {
        let record = try world.json(try await world.send(.GET, APIURL.child(child).path, token: token))
        return (record["services"] as? [[String: Any]] ?? []).compactMap { $0["service"] as? String }.sorted()
    }

    func record(
        _ world: TestWorld, _ child: UUID, as token: String, _ service: String, sensitive: String? = nil
    ) async throws -> UUID {
        var body: [String: Any] = [
            "service": service, "role": "Support", "practitionerName": "Dr Rao", "startedOn": "2026-01-10",
        ]
        body["sensitive"] = sensitive
        let response = try await world.send(
            .POST, APIURL.childInvolvements(child).path, token: token, raw: try TestWorld.jsonText(body))
        #expect(response.status == .created, "\(service)")
        return UUID(uuidString: try world.json(response)["id"] as! String)!
    }

    func disclose(
        _ world: TestWorld, _ involvement: UUID, to practitioner: String, agreedBy: String, as token: String
    ) async throws -> TestingHTTPResponse {
        try await world.send(
            .POST, APIURL.involvementDisclosures(involvement).path, token: token,
            raw: try TestWorld.jsonText(["practitionerId": practitioner, "agreedBy": agreedBy]))
    }

    func audited(_ world: TestWorld, _ action: AuditAction, _ outcome: AuditOutcome) async throws -> Int {
        try await AuditEvent.query(on: world.app.db).filter(\.$action == action.rawValue)
            .filter(\.$outcome == outcome.rawValue).count()
    }

    /// The attack: health records a young person's sexual-health service; a school opens a CAF
    /// with a consent it typed itself, so leads its team, and must still not see it.
    @Test func aTypedConsentNeverShowsASensitiveService() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let ben = try await world.token("ben@demo.test")
            let carla = try await world.token("carla@demo.test")
            let child = try await world.registerChild(as: amy)
            _ = try await record(world, child, as: amy, "SEN support")
            _ = try await record(world, child, as: ben, "Sexual health clinic", sensitive: "sexual-health")

            #expect(try await services(world, child, as: ben) == ["SEN support", "Sexual health clinic"])  // its own
            #expect(try await services(world, child, as: amy) == ["SEN support"])
            let opened = try await world.send(
                .POST, APIURL.childEpisodes(child).path, token: amy,
                raw: try TestWorld.jsonText(TestWorld.consentForHealthAndEducation))
            #expect(opened.status == .created)
            #expect(try await services(world, child, as: amy) == ["SEN support"])
            #expect(try await services(world, child, as: carla) == ["SEN support"])
        }
    }

    /// Only the service says who else may see its sensitive involvement, on the word it may
    /// act on (for sexual health only the young person's); it can withdraw that; every step,
    /// and every refusal, is audited.
    @Test func aSensitiveServiceDisclosesToNamedPractitionersAndWithdraws() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let ben = try await world.token("ben@demo.test")
            let carla = try await world.token("carla@demo.test")
            let child = try await world.registerChild(as: amy)
            let clinic = try await record(world, child, as: ben, "Sexual health clinic", sensitive: "sexual-health")
            let amyID = try await world.signedIn("amy@demo.test").id.uuidString
            let benID = try await world.signedIn("ben@demo.test").id.uuidString
            let fayID = try await world.signedIn("fay@demo.test").id.uuidString

            // Refused, naming the field, writing nothing.
            for (to, agreedBy, field) in [
                (amyID, "service", "agreedBy"),  // sexual health: the young person's word only
                (benID, "young-person", "practitionerId"),  // the service's own staff see it already
                (fayID, "young-person", "practitionerId"),  // an administrator does not work with children
                (UUID().uuidString, "young-person", "practitionerId"),
                (amyID, "parent", "agreedBy"),
            ] {
                let refused = try await disclose(world, clinic, to: to, agreedBy: agreedBy, as: ben)
                #expect(refused.status == .unprocessableEntity, "\(agreedBy) \(field)")
                #expect(try world.error(refused).field == field)
            }
            // Only the service's staff may disclose, whatever they assert.
            let selfServed = try await disclose(world, clinic, to: amyID, agreedBy: "young-person", as: amy)
            #expect(selfServed.status == .forbidden)
            #expect(try await audited(world, .discloseInvolvement, .denied) == 1)
            #expect(try await InvolvementDisclosure.query(on: world.app.db).count() == 0)
            #expect(try await services(world, child, as: amy) == [])

            let disclosed = try await disclose(world, clinic, to: amyID, agreedBy: "young-person", as: ben)
            #expect(disclosed.status == .created)
            let disclosure = UUID(uuidString: try world.json(disclosed)["id"] as! String)!
            #expect(try await services(world, child, as: amy) == ["Sexual health clinic"])
            #expect(try await services(world, child, as: carla) == [])
            let again = try await disclose(world, clinic, to: amyID, agreedBy: "young-person", as: ben)
            #expect(again.status == .conflict)
            #expect(try world.error(again).code == "already-disclosed")

            // The list is the service's: amy, though she may see the involvement, may not manage it.
            let list = try world.json(try await world.send(.GET, APIURL.involvementDisclosures(clinic).path, token: ben))
            #expect((list["disclosures"] as? [[String: Any]])?.count == 1)
            #expect(try await world.send(.GET, APIURL.involvementDisclosures(clinic).path, token: amy).status == .forbidden)
            #expect(
                try await world.send(.DELETE, APIURL.involvementDisclosure(disclosure).path, token: amy).status == .forbidden)
            #expect(try await services(world, child, as: amy) == ["Sexual health clinic"])

            let withdrawn = try await world.send(.DELETE, APIURL.involvementDisclosure(disclosure).path, token: ben)
            #expect(withdrawn.status == .ok)
            #expect(try world.json(withdrawn)["withdrawnAt"] is String)
            #expect(try await services(world, child, as: amy) == [])
            #expect(try await world.send(.DELETE, APIURL.involvementDisclosure(disclosure).path, token: ben).status == .ok)
            #expect(try await audited(world, .discloseInvolvement, .allowed) == 1)
            #expect(try await audited(world, .withdrawDisclosure, .allowed) == 1)
            #expect(try await audited(world, .discloseInvolvement, .denied) == 3)
            // Withdrawn, the record stays; a new disclosure may be made.
            #expect(try await disclose(world, clinic, to: amyID, agreedBy: "young-person", as: ben).status == .created)
            #expect(try await InvolvementDisclosure.query(on: world.app.db).count() == 2)
        }
    }

    /// Mental health may disclose on its own judgement; an ordinary involvement has nothing to
    /// disclose, everyone who works with children seeing it already.
    @Test func otherSensitiveServicesMayDiscloseOnTheirOwnWord() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let ben = try await world.token("ben@demo.test")
            let child = try await world.registerChild(as: amy)
            let camhs = try await record(world, child, as: ben, "CAMHS", sensitive: "mental-health")
            let visits = try await record(world, child, as: ben, "Health visiting")
            let amyID = try await world.signedIn("amy@demo.test").id.uuidString
            #expect(try await disclose(world, camhs, to: amyID, agreedBy: "service", as: ben).status == .created)
            #expect(try await services(world, child, as: amy) == ["CAMHS", "Health visiting"])
            let ordinary = try await disclose(world, visits, to: amyID, agreedBy: "service", as: ben)
            #expect(ordinary.status == .conflict)
            #expect(try world.error(ordinary).code == "not-sensitive")
        }
    }

    @Test func badInvolvementsNameTheFieldAndAdminsCannotRecord() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let child = try await world.registerChild(as: amy)
            let path = APIURL.childInvolvements(child).path
            for (body, field) in [
                (#"{"service": "", "role": "x", "practitionerName": "A", "startedOn": "2025-01-01"}"#, "service"),
                (#"{"service": "S", "role": "x", "practitionerName": "A", "startedOn": "2025-02-30"}"#, "startedOn"),
                (
                    #"{"service": "S", "role": "x", "practitionerName": "A", "startedOn": "2025-02-01", "endedOn": "2025-01-01"}"#,
                    "endedOn"
                ),
            ] {
                #expect(try world.error(try await world.send(.POST, path, token: amy, raw: body)).field == field, "\(field)")
            }
            let fay = try await world.token("fay@demo.test")
            let refused = try await world.send(
                .POST, path, token: fay,
                raw: #"{"service": "S", "role": "x", "practitionerName": "A", "startedOn": "2025-01-01"}"#)
            #expect(refused.status == .forbidden)
            #expect(try await Involvement.query(on: world.app.db).count() == 0)
        }
    }
}
