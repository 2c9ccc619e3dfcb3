import CAFCore
import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

/// Issue 13: anyone who used the index could rename any child (a Suffolk teacher added a
/// known-as name to a Cambridgeshire child). Now those who know the child change its names;
/// anyone else proposes a correction, with a reason, that a coordinator of the child's LA decides.
@Suite struct NameChangeTests {
    func addName(
        _ world: TestWorld, _ child: UUID, as token: String, _ given: String, kind: String = "known-as", reason: String? = nil
    ) async throws -> TestingHTTPResponse {
        var body: [String: Any] = ["kind": kind, "givenName": given, "familyName": "Evans"]
        body["reason"] = reason
        return try await world.send(.POST, APIURL.childNames(child).path, token: token, raw: try TestWorld.jsonText(body))
    }

    func names(_ world: TestWorld, _ child: UUID) async throws -> [String] {
        try await ChildName.query(on: world.app.db).filter(\.$child.$id == child).all().map(\.givenName).sorted()
    }

    func audited(_ world: TestWorld, _ action: AuditAction, _ outcome: AuditOutcome) async throws -> Int {
        try await AuditEvent.query(on: world.app.db).filter(\.$action == action.rawValue).filter(\.$outcome == outcome.rawValue)
            .count()
    }

    @Test func onlyThoseWhoKnowTheChildRenameItOthersPropose() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let hana = try await world.token("hana@demo.test")
            let carla = try await world.token("carla@demo.test")
            let erin = try await world.token("erin@demo.test")
            let created = try await world.childWithEpisode(as: amy)
            let child = created.childID

            // The attack: a teacher in another LA names a Cambridgeshire child.
            let unexplained = try await addName(world, child, as: hana, "Lil")
            #expect(unexplained.status == .unprocessableEntity)
            #expect(try world.error(unexplained).field == "reason")
            let proposed = try await addName(world, child, as: hana, "Lil", reason: "She asked us to call her Lil.")
            #expect(proposed.status == .accepted)
            #expect(try world.json(proposed)["decision"] as? String == "pending")
            let renaming = try await addName(
                world, child, as: carla, "Lillian", kind: "current", reason: "Her birth certificate says Lillian.")
            #expect(renaming.status == .accepted)
            #expect(try await names(world, child) == ["Lily"])  // nothing changed yet
            #expect(try await audited(world, .proposeChildName, .allowed) == 2)

            // The registrar, the team and the coordinator change names at once.
            #expect(try await addName(world, child, as: amy, "Lils").status == .created)
            _ = try await world.send(
                .POST, APIURL.shares(created.episodeID).path, token: amy, json: ["practitionerEmail": "ben@demo.test"])
            #expect(try await addName(world, child, as: try await world.token("ben@demo.test"), "Lula").status == .created)
            #expect(try await addName(world, child, as: erin, "Lilo").status == .created)

            // The coordinator's queue; no one else's.
            let queue = try await world.send(.GET, APIURL.nameProposals.path, token: erin)
            let pending = try world.json(queue)["proposals"] as? [[String: Any]] ?? []
            #expect(pending.count == 2)
            #expect(try await world.send(.GET, APIURL.nameProposals.path, token: hana).status == .forbidden)
            #expect(
                try await world.send(.GET, APIURL.nameProposals.path, token: try await world.token("gus@demo.test")).status
                    == .forbidden)

            let hanaID = try #require(pending.first { ($0["givenName"] as? String) == "Lil" }?["id"] as? String)
            let carlaID = try #require(pending.first { ($0["givenName"] as? String) == "Lillian" }?["id"] as? String)
            func decide(_ id: String, as token: String, _ body: String) async throws -> TestingHTTPResponse {
                try await world.send(.POST, APIURL.nameProposalDecision(UUID(uuidString: id)!).path, token: token, raw: body)
            }
            // Only a coordinator of the child's LA decides, whoever proposed.
            #expect(try await decide(hanaID, as: hana, #"{"decision": "accepted"}"#).status == .forbidden)
            #expect(try await audited(world, .decideChildName, .denied) == 1)
            let noNote = try await decide(hanaID, as: erin, #"{"decision": "refused"}"#)
            #expect(try world.error(noNote).field == "note")
            #expect(
                try await decide(hanaID, as: erin, #"{"decision": "refused", "note": "Not what the family say."}"#).status == .ok)
            #expect(try await decide(carlaID, as: erin, #"{"decision": "accepted"}"#).status == .ok)
            #expect(try await decide(carlaID, as: erin, #"{"decision": "accepted"}"#).status == .conflict)
            let renamed = try #require(try await Child.find(child, on: world.app.db))
            #expect(renamed.givenName == "Lillian")
            #expect(try await names(world, child) == ["Lillian", "Lilo", "Lils", "Lily", "Lula"])  // Lil refused
            #expect(try await NameProposal.query(on: world.app.db).filter(\.$decision == .pending).count() == 0)
        }
    }

    /// Opening a CAF takes only a consent one types: a practitioner from another LA who opens
    /// one is its author, but that alone does not let them rename the child.
    @Test func openingACAFFromAnotherLADoesNotOpenTheNames() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let hana = try await world.token("hana@demo.test")
            let child = try await world.registerChild(as: amy)
            let opened = try await world.send(
                .POST, APIURL.childEpisodes(child).path, token: hana,
                raw: try TestWorld.jsonText(TestWorld.consentForHealthAndEducation))
            #expect(opened.status == .created)
            let renamed = try await addName(world, child, as: hana, "Lola", kind: "current", reason: "I lead her CAF now.")
            #expect(renamed.status == .accepted)
            #expect(try await Child.find(child, on: world.app.db)?.givenName == "Lily")
        }
    }

    @Test func aBirthIsRecordedOnlyByThoseWhoKnowTheBaby() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let ben = try await world.token("ben@demo.test")
            let unborn = try await world.send(
                .POST, APIURL.children.path, token: ben,
                json: ["familyName": "Evans", "expectedDeliveryDate": CalendarDate.iso(Date().addingTimeInterval(30 * 86400))])
            #expect(unborn.status == .created)
            let child = UUID(uuidString: try world.json(unborn)["id"] as! String)!
            let today = CalendarDate.iso(Date())
            let carla = try await world.token("carla@demo.test")
            let refused = try await world.send(
                .POST, APIURL.childBirth(child).path, token: carla, json: ["dateOfBirth": today, "givenName": "Mabel"])
            #expect(refused.status == .forbidden)
            #expect(try await audited(world, .recordBirth, .denied) == 1)
            #expect(try await Child.find(child, on: world.app.db)?.unborn == true)
            let recorded = try await world.send(
                .POST, APIURL.childBirth(child).path, token: ben, json: ["dateOfBirth": today, "givenName": "Mabel"])
            #expect(recorded.status == .ok)
        }
    }

    /// From the pages: a police officer off the team proposes; the coordinator, from her
    /// worktray, makes the correction.
    @Test func aCorrectionProposedOnThePageIsMadeByTheCoordinator() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let child = try await world.registerChild(as: amy)
            let carla = PageTests.Browser(world)
            try await carla.signIn("carla@demo.test")
            let form = try await carla.get(SiteURL.childNames(child).path).body.string
            #expect(form.contains(#"name="reason""#) && form.contains("Send to the coordinator"))
            let missing = try await carla.post(
                SiteURL.childNames(child).path, [("kind", "known-as"), ("givenName", "Lou"), ("familyName", "Evans")])
            #expect(missing.status == .unprocessableEntity)
            #expect(missing.body.string.contains(##"href="#reason""##))
            let sent = try await carla.post(
                SiteURL.childNames(child).path,
                [("kind", "known-as"), ("givenName", "Lou"), ("familyName", "Evans"), ("reason", "Known as Lou at the club.")])
            #expect(sent.status == .seeOther)
            let shown = try await carla.get(try #require(sent.headers.first(name: .location)))
            #expect(shown.body.string.contains("Sent to the coordinator to check"))
            // Sending again (a refreshed page) adds nothing to the coordinator's queue.
            _ = try await carla.post(
                SiteURL.childNames(child).path,
                [("kind", "known-as"), ("givenName", "Lou"), ("familyName", "Evans"), ("reason", "Known as Lou at the club.")])
            #expect(try await NameProposal.query(on: world.app.db).count() == 1)

            let erin = PageTests.Browser(world)
            try await erin.signIn("erin@demo.test")
            let tray = try await erin.get(SiteURL.home.path).body.string
            #expect(tray.contains("Name corrections to check"))
            let proposal = try #require(try await NameProposal.query(on: world.app.db).first())
            _ = try await erin.get(SiteURL.nameProposal(proposal.id!).path)
            let decided = try await erin.post(SiteURL.nameProposal(proposal.id!).path, [("decision", "accepted")])
            #expect(decided.status == .seeOther)
            #expect(try await names(world, child) == ["Lily", "Lou"])
        }
    }
}
