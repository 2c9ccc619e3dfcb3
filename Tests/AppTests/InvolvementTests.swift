import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

/// Services involved with a child, and the sensitive ones only their service and the child's
/// team see.
@Suite struct InvolvementTests {
    func services(_ world: TestWorld, _ child: UUID, as token: String) async throws -> [String] {
        let record = try world.json(try await world.send(.GET, APIURL.child(child).path, token: token))
        return (record["services"] as? [[String: Any]] ?? []).compactMap { $0["service"] as? String }
    }

    @Test func sensitiveInvolvementsShowOnlyToTheirServiceAndTheChildsTeam() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let ben = try await world.token("ben@demo.test")
            let carla = try await world.token("carla@demo.test")
            let child = try await world.registerChild(as: amy)
            let path = APIURL.childInvolvements(child).path

            let school = try await world.send(
                .POST, path, token: amy,
                json: [
                    "service": "SEN support", "role": "Reading support", "practitionerName": "Amy Clarke",
                    "startedOn": "2025-09-01",
                ])
            #expect(school.status == .created)
            #expect(try world.json(school)["organisation"] as? String == "Riverside Primary School")
            let camhs = try await world.send(
                .POST, path, token: ben,
                json: [
                    "service": "CAMHS", "role": "Anxiety support", "practitionerName": "Dr Rao", "startedOn": "2026-01-10",
                    "sensitive": "mental-health",
                ])
            #expect(camhs.status == .created)

            #expect(try await services(world, child, as: ben) == ["CAMHS", "SEN support"])  // its own service
            #expect(try await services(world, child, as: carla) == ["SEN support"])
            #expect(try await services(world, child, as: amy) == ["SEN support"])
            // Once amy leads a CAF for the child with the family's consent, she is covered.
            let opened = try await world.send(
                .POST, APIURL.childEpisodes(child).path, token: amy,
                raw: try TestWorld.jsonText(TestWorld.consentForHealthAndEducation))
            #expect(opened.status == .created)
            #expect(try await services(world, child, as: amy) == ["CAMHS", "SEN support"])
            #expect(try await services(world, child, as: carla) == ["SEN support"])
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
