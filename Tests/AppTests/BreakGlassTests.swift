import CAFCore
import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

@Suite struct BreakGlassTests {
    @Test func breakGlassReadsForAWhileAndTheCoordinatorReviewsIt() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let created = try await world.childWithEpisode(as: amy)
            let carla = try await world.token("carla@demo.test")
            let path = APIURL.episodeBreakGlass(created.episodeID).path
            let vague = try await world.send(.POST, path, token: carla, raw: #"{"reason": "need it"}"#)
            #expect(try world.error(vague).field == "reason")
            let taken = try await world.send(
                .POST, path, token: carla, raw: #"{"reason": "Child found alone at night; checking who is involved"}"#)
            #expect(taken.status == .created)
            let episode = try world.json(try await world.send(.GET, APIURL.episode(created.episodeID).path, token: carla))
            #expect(episode["access"] as? String == "break-glass")
            #expect(
                try await world.saveAssessment(created.episodeID, token: carla, raw: #"{"elements": []}"#)
                    .status == .forbidden)

            let erin = try await world.token("erin@demo.test")
            let queue =
                try world.json(try await world.send(.GET, APIURL.breakGlassQueue.path, token: erin))["items"] as? [[String: Any]]
                ?? []
            #expect(queue.count == 1)
            let grantID = UUID(uuidString: queue.first?["id"] as! String)!
            #expect(try await world.send(.GET, APIURL.breakGlassQueue.path, token: amy).status == .forbidden)
            let hana = try await world.token("hana@demo.test")
            #expect(
                try await world.send(.POST, APIURL.breakGlassReview(grantID).path, token: hana, raw: #"{"note": "x"}"#).status
                    == .forbidden)
            #expect(
                try world.error(
                    try await world.send(.POST, APIURL.breakGlassReview(grantID).path, token: erin, raw: #"{"note": ""}"#)
                ).field == "note")
            let reviewed = try await world.send(
                .POST, APIURL.breakGlassReview(grantID).path, token: erin, raw: #"{"note": "Justified"}"#)
            #expect(reviewed.status == .ok)
            #expect(
                (try world.json(try await world.send(.GET, APIURL.breakGlassQueue.path, token: erin))["items"] as? [Any])?
                    .isEmpty == true)

            // When the grant expires, so does the access.
            for grant in try await BreakGlassGrant.query(on: world.app.db).all() {
                grant.expiresAt = Date().addingTimeInterval(-1)
                try await grant.save(on: world.app.db)
            }
            #expect(try await world.send(.GET, APIURL.episode(created.episodeID).path, token: carla).status == .forbidden)
            let audit = try await AuditEvent.query(on: world.app.db).filter(\.$action == "break-glass").all()
            #expect(audit.count == 1)
            #expect(audit.contains { $0.outcome == "allowed" && $0.detail.contains("Child found alone") })
        }
    }

    @Test func breakGlassFromTheRefusalPageAndTheCoordinatorsQueue() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let created = try await world.childWithEpisode(as: amy)
            let carla = PageTests.Browser(world)
            try await carla.signIn("carla@demo.test")
            let refused = try await carla.get(SiteURL.episode(created.episodeID).path)
            #expect(refused.body.string.contains("Emergency access"))
            let taken = try await carla.post(
                SiteURL.takeBreakGlass(created.episodeID).path, [("breakGlassReason", "Child at risk tonight, police attending")])
            #expect(taken.status == .seeOther)
            let page = try await carla.get(SiteURL.episode(created.episodeID).path)
            #expect(page.status == .ok)
            #expect(page.body.string.contains("id=\"break-glass\""))

            let erin = PageTests.Browser(world)
            try await erin.signIn("erin@demo.test")
            #expect(try await erin.get(SiteURL.home.path).body.string.contains("Break-glass access to review"))
            let grant = try #require(try await BreakGlassGrant.query(on: world.app.db).first())
            _ = try await erin.get(SiteURL.breakGlassGrant(grant.id!).path)
            let reviewed = try await erin.post(SiteURL.breakGlassGrant(grant.id!).path, [("note", "Justified")])
            #expect(reviewed.status == .seeOther)
            #expect(try await BreakGlassGrant.find(grant.id, on: world.app.db)?.reviewedAt != nil)
        }
    }
}
