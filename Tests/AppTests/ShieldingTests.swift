import CAFCore
import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

/// Shielding end to end: whereabouts with their history, the shield, searches on hidden
/// fields, the override that lasts as long as its sign-in, and the coordinator's review.
@Suite struct ShieldingTests {
    /// JSON leaves out what is nil.
    func absent(_ value: Any?) -> Bool { value == nil || value is NSNull }

    func whereabouts(_ world: TestWorld, _ childID: UUID, as token: String, _ body: [String: String])
        async throws -> TestingHTTPResponse
    {
        try await world.updateWhereabouts(childID, token: token, raw: try TestWorld.jsonText(body))
    }

    func record(_ world: TestWorld, _ childID: UUID, as token: String) async throws -> [String: Any] {
        let response = try await world.send(.GET, APIURL.child(childID).path, token: token)
        #expect(response.status == .ok)
        return try world.json(response)
    }

    func searchNames(_ world: TestWorld, _ query: String, as token: String) async throws -> [[String: Any]] {
        let response = try await world.search(query, token: token)
        return (try world.json(response)["results"] as? [[String: Any]] ?? []).compactMap { $0["child"] as? [String: Any] }
    }

    @Test func whereaboutsKeepTheirHistory() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let child = try await world.registerChild(as: amy)
            let first = try await whereabouts(
                world, child, as: amy,
                [
                    "address": "1 Mill Road, Cambridge", "postcode": "cb1 2ab", "movedIn": "2019-04-01",
                    "school": "Riverside Primary",
                    "gpPractice": "Mill Road Surgery", "contactPhone": "07700 900123",
                ])
            #expect(first.status == .ok)
            let moved = try await whereabouts(
                world, child, as: amy,
                [
                    "address": "4 Hill Street, Ely", "postcode": "CB7 4AA", "movedIn": "2025-09-01",
                    "school": "Riverside Primary",
                    "gpPractice": "Ely Surgery",
                ])
            let place = try world.json(moved)["whereabouts"] as? [String: Any]
            #expect(place?["postcode"] as? String == "CB7 4AA")
            #expect(absent(place?["contactPhone"]))
            let lines = place?["addresses"] as? [[String: Any]] ?? []
            #expect(lines.map { $0["address"] as? String } == ["4 Hill Street, Ely", "1 Mill Road, Cambridge"])
            #expect(lines.last?["movedOut"] as? String == "2025-09-01")
            let bad = try await whereabouts(world, child, as: amy, ["postcode": "NOT A POSTCODE"])
            #expect(try world.error(bad).field == "postcode")
            #expect(try await searchNames(world, "postcode=CB7", as: amy).count == 1)

            // Issue 13: only those who know the child move them; a Suffolk teacher (or anyone
            // off the team) is refused, changes nothing, and the refusal is audited.
            let hana = try await world.token("hana@demo.test")
            let moveByHana = try await whereabouts(world, child, as: hana, ["address": "9 Far Lane", "postcode": "IP14 1AA"])
            #expect(moveByHana.status == .forbidden)
            #expect(try world.error(moveByHana).message.contains("coordinators"))
            let still = try await record(world, child, as: amy)["whereabouts"] as? [String: Any]
            #expect(still?["postcode"] as? String == "CB7 4AA")
            let refusals = try await AuditEvent.query(on: world.app.db).filter(\.$actorEmail == "hana@demo.test")
                .filter(\.$action == AuditAction.updateChildDetails.rawValue).filter(\.$outcome == "denied").count()
            #expect(refusals == 1)
        }
    }

    @Test func aShieldedChildsWhereaboutsAreHiddenFromAllButTheirLAsCoordinatorsAndSafeguarding() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let erin = try await world.token("erin@demo.test")
            let gus = try await world.token("gus@demo.test")
            let hana = try await world.token("hana@demo.test")
            let child = try await world.registerChild(as: amy)
            _ = try await whereabouts(
                world, child, as: amy, ["address": "1 Mill Road", "postcode": "CB1 2AB", "school": "Riverside Primary"])

            let notAllowed = try await world.send(
                .PUT, APIURL.childShield(child).path, token: amy, json: ShieldBody(shielded: true, reason: "Court order in place")
            )
            #expect(notAllowed.status == .forbidden)
            let noReason = try await world.send(
                .PUT, APIURL.childShield(child).path, token: erin, json: ShieldBody(shielded: true, reason: "x"))
            #expect(try world.error(noReason).field == "reason")
            let shielded = try await world.send(
                .PUT, APIURL.childShield(child).path, token: erin,
                json: ShieldBody(shielded: true, reason: "Non-molestation order: the father must not find the family"))
            #expect(shielded.status == .ok)

            for token in [amy, hana] {
                let seen = try await record(world, child, as: token)
                #expect(absent(seen["whereabouts"]))
                #expect(absent((seen["child"] as? [String: Any])?["postcode"]))
                #expect(
                    (seen["coordinators"] as? [[String: Any]])?.contains { $0["email"] as? String == "erin@demo.test" } == true)
            }
            for token in [erin, gus] {
                let seen = try await record(world, child, as: token)
                #expect((seen["whereabouts"] as? [String: Any])?["school"] as? String == "Riverside Primary")
            }
            // A search by a hidden field finds nothing; by name, the child without the postcode.
            #expect(try await searchNames(world, "postcode=CB1%202AB", as: amy).isEmpty)
            let byName = try await searchNames(world, "q=lily%20evans", as: amy)
            #expect(byName.count == 1 && absent(byName.first?["postcode"]))
            #expect(try await searchNames(world, "postcode=CB1%202AB", as: erin).count == 1)
            // No one writes over what is hidden from them.
            #expect(try await whereabouts(world, child, as: amy, ["address": "Elsewhere"]).status == .forbidden)
        }
    }

    @Test func anOverrideShowsTheWhereaboutsUntilSignOutAndGoesOnTheReviewQueue() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let erin = try await world.token("erin@demo.test")
            let sid = try await world.token("sid@demo.test")  // Suffolk's front door
            let child = try await world.registerChild(as: amy)
            _ = try await whereabouts(world, child, as: amy, ["address": "1 Mill Road", "postcode": "CB1 2AB"])
            let unshielded = try await world.send(
                .POST, APIURL.childShieldOverrides(child).path, token: sid, json: ["reason": "Police at the door, child missing"])
            #expect(unshielded.status == .conflict)
            _ = try await world.send(
                .PUT, APIURL.childShield(child).path, token: erin,
                json: ShieldBody(shielded: true, reason: "Court order in place"))

            // A practitioner's typed reason unmasks no one (PRODUCT.md: safeguarding overrides).
            let typed = try await world.send(
                .POST, APIURL.childShieldOverrides(child).path, token: amy,
                json: ["reason": "Child missing from school; police need the address now"])
            #expect(typed.status == .forbidden)
            #expect(absent(try await record(world, child, as: amy)["whereabouts"]))

            let vague = try await world.send(.POST, APIURL.childShieldOverrides(child).path, token: sid, json: ["reason": "need"])
            #expect(try world.error(vague).field == "reason")
            let taken = try await world.send(
                .POST, APIURL.childShieldOverrides(child).path, token: sid,
                json: ["reason": "Child missing from school; police need the address now"])
            #expect(taken.status == .created)
            #expect(
                (try await record(world, child, as: sid)["whereabouts"] as? [String: Any])?["address"] as? String == "1 Mill Road"
            )
            // Only this sign-in: another token of sid's still sees nothing.
            let again = try await world.token("sid@demo.test")
            #expect(absent(try await record(world, child, as: again)["whereabouts"]))
            _ = try await world.send(.DELETE, APIURL.token.path, token: sid)
            #expect(try await world.send(.GET, APIURL.child(child).path, token: sid).status == .unauthorized)

            #expect(try await world.send(.GET, APIURL.shieldOverrides.path, token: again).status == .forbidden)
            let queue = try world.json(try await world.send(.GET, APIURL.shieldOverrides.path, token: erin))
            let waiting = queue["items"] as? [[String: Any]] ?? []
            #expect(waiting.count == 1)
            let id = UUID(uuidString: waiting.first?["id"] as? String ?? "")!
            let review = APIURL.shieldOverrideReview(id).path
            #expect(try await world.send(.POST, review, token: again, json: ["note": "Fine"]).status == .forbidden)
            #expect(
                try await world.send(.POST, review, token: erin, json: ["note": "Justified: police confirmed."]).status == .ok)
            #expect(try await world.send(.POST, review, token: erin, json: ["note": "Again"]).status == .conflict)
            let events = try await AuditEvent.query(on: world.app.db).filter(\.$action == AuditAction.overrideShield.rawValue)
                .all()
            #expect(events.map(\.outcome).sorted() == ["allowed", "denied"])
            #expect(events.allSatisfy { $0.outcome == "denied" || $0.detail.contains("police need the address") })
        }
    }

    /// An override counts only while its holder may override: one taken by safeguarding staff
    /// who have since moved to another role opens nothing.
    @Test func anOverrideOpensNothingOnceItsHolderMayNoLongerOverride() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let erin = try await world.token("erin@demo.test")
            let sid = try await world.token("sid@demo.test")
            let child = try await world.registerChild(as: amy)
            _ = try await whereabouts(world, child, as: amy, ["address": "1 Mill Road", "postcode": "CB1 2AB"])
            _ = try await world.send(
                .PUT, APIURL.childShield(child).path, token: erin,
                json: ShieldBody(shielded: true, reason: "Court order in place"))
            let taken = try await world.send(
                .POST, APIURL.childShieldOverrides(child).path, token: sid,
                json: ["reason": "Child missing from school; police need the address now"])
            #expect(taken.status == .created)
            #expect(!absent(try await record(world, child, as: sid)["whereabouts"]))

            let holder = try #require(
                try await Practitioner.query(on: world.app.db).filter(\.$email == "sid@demo.test").first())
            holder.roleStorage = Set<Role>([.practitioner]).storage
            try await holder.save(on: world.app.db)
            #expect(absent(try await record(world, child, as: sid)["whereabouts"]))
        }
    }

    /// Changing a child's details counts the team as the consent has it now: a named share the
    /// family's consent no longer covers is no longer a reason to move the child.
    @Test func aTeamPlaceTheConsentNoLongerCoversMovesNoOne() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let dan = try await world.token("dan@demo.test")
            let amy = try await world.token("amy@demo.test")
            let ben = try await world.token("ben@demo.test")
            let child = try await world.registerChild(as: dan)
            let episode = try await world.send(
                .POST, APIURL.childEpisodes(child).path, token: amy,
                raw: try TestWorld.jsonText(TestWorld.consentForHealthAndEducation))
            let episodeID = UUID(uuidString: try world.json(episode)["id"] as! String)!
            let shared = try await world.send(
                .POST, APIURL.shares(episodeID).path, token: amy, json: ["practitionerEmail": "ben@demo.test"])
            #expect(shared.status == .created)
            #expect(try await whereabouts(world, child, as: ben, ["address": "2 Mill Road"]).status == .ok)

            var narrower = TestWorld.consentForHealthAndEducation
            narrower["kind"] = "given"
            var consent = narrower["consent"] as! [String: Any]
            consent["scope"] = ["store": true, "shareWithAgencyTypes": ["education"]]
            narrower["consent"] = consent
            let changed = try await world.changeTeam(
                APIURL.consents(episodeID).path, token: amy, raw: try TestWorld.jsonText(narrower))
            #expect(changed.status == .ok || changed.status == .created, "\(changed.status)")
            #expect(try await whereabouts(world, child, as: ben, ["address": "3 Mill Road"]).status == .forbidden)
            #expect(try await whereabouts(world, child, as: amy, ["address": "3 Mill Road"]).status == .ok)
        }
    }

    struct ShieldBody: Encodable {
        let shielded: Bool
        let reason: String
    }
}
