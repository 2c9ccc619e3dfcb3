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
            let child = try await world.childWithEpisode(as: amy).childID  // amy leads the child's team
            let clinic = try await record(world, child, as: ben, "Sexual health clinic", sensitive: "sexual-health")
            let amyID = try await world.signedIn("amy@demo.test").id.uuidString
            let benID = try await world.signedIn("ben@demo.test").id.uuidString
            let fayID = try await world.signedIn("fay@demo.test").id.uuidString
            let carlaID = try await world.signedIn("carla@demo.test").id.uuidString

            // Refused, naming the field, writing nothing; those on policy grounds audited.
            for (to, agreedBy, field) in [
                (amyID, "service", "agreedBy"),  // sexual health: the young person's word only
                (benID, "young-person", "practitionerId"),  // the service's own staff see it already
                (fayID, "young-person", "practitionerId"),  // an administrator does not work with children
                (carlaID, "young-person", "practitionerId"),  // not on the child's team
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
            #expect(try await audited(world, .discloseInvolvement, .denied) == 5)
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
            #expect(try await audited(world, .discloseInvolvement, .denied) == 7)
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
            let child = try await world.childWithEpisode(as: amy).childID
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

    /// The service's word is for the practitioner in the job they had: moved to another
    /// organisation, they no longer see the service, until it tells them again.
    @Test func aDisclosureLapsesWhenItsPractitionerMovesOrganisation() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let ben = try await world.token("ben@demo.test")
            let child = try await world.childWithEpisode(as: amy).childID
            let camhs = try await record(world, child, as: ben, "CAMHS", sensitive: "mental-health")
            let amyID = try await world.signedIn("amy@demo.test").id
            #expect(try await disclose(world, camhs, to: amyID.uuidString, agreedBy: "service", as: ben).status == .created)
            #expect(try await services(world, child, as: amy) == ["CAMHS"])

            let moved = try #require(try await Practitioner.find(amyID, on: world.app.db))
            let police = try await world.signedIn("carla@demo.test").organisation!.id!
            moved.$organisation.id = police
            try await moved.save(on: world.app.db)
            #expect(try await services(world, child, as: amy) == [])
            let list = try world.json(try await world.send(.GET, APIURL.involvementDisclosures(camhs).path, token: ben))
            #expect((list["disclosures"] as? [Any])?.isEmpty == true)
            #expect(try await disclose(world, camhs, to: amyID.uuidString, agreedBy: "service", as: ben).status == .created)
            #expect(try await services(world, child, as: amy) == ["CAMHS"])
        }
    }

    /// The audit trail would name a sensitive service to the coordinators who read it: its
    /// entries are left out for anyone who may not see the service; the rest stay.
    @Test func theAuditTrailShowsASensitiveServiceOnlyToThoseWhoMaySeeIt() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let ben = try await world.token("ben@demo.test")
            let erin = try await world.token("erin@demo.test")
            let child = try await world.childWithEpisode(as: amy).childID
            let clinic = try await record(world, child, as: ben, "Sexual health clinic", sensitive: "sexual-health")
            _ = try await record(world, child, as: ben, "Health visiting")
            let amyID = try await world.signedIn("amy@demo.test").id.uuidString
            #expect(try await disclose(world, clinic, to: amyID, agreedBy: "young-person", as: ben).status == .created)
            _ = try await world.send(.GET, APIURL.involvementDisclosures(clinic).path, token: ben)

            let trail = try await world.send(.GET, APIURL.audit.path + "?childId=\(child.uuidString)", token: erin)
            #expect(trail.status == .ok)
            let events = try world.json(trail)["events"] as? [[String: Any]] ?? []
            let actions = events.compactMap { $0["action"] as? String }
            #expect(actions.filter { $0 == "record-involvement" }.count == 1)  // health visiting only
            #expect(!actions.contains("disclose-involvement"))
            #expect(!trail.body.string.contains(clinic.uuidString) && !trail.body.string.contains("sexual-health"))
            #expect(actions.contains("open-episode"))
            let page = PageTests.Browser(world)
            try await page.signIn("erin@demo.test")
            let html = try await page.get(SiteURL.childAudit(child).path).body.string
            #expect(!html.contains("sexual-health") && !html.contains("disclose-involvement"))
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
