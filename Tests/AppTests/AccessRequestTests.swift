import CAFCore
import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

@Suite struct AccessRequestTests {
    @Test func outsidersAskToJoinAndTheHolderGrantsWithinConsent() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let created = try await world.childWithEpisode(as: amy)
            let path = APIURL.episodeAccessRequests(created.episodeID).path
            #expect(try await world.send(.POST, path, token: amy, raw: #"{"reason": "x"}"#).status == .forbidden)

            let ben = try await world.token("ben@demo.test")
            let blank = try await world.send(.POST, path, token: ben, raw: #"{"reason": " "}"#)
            #expect(try world.error(blank).field == "reason")
            let asked = try await world.send(.POST, path, token: ben, raw: #"{"reason": "I am the health visitor"}"#)
            #expect(asked.status == .created)
            let again = try await world.send(.POST, path, token: ben, raw: #"{"reason": "Still me"}"#)
            #expect(try world.json(again)["id"] as? String == (try world.json(asked)["id"] as? String))
            let carla = try await world.token("carla@demo.test")
            let police = try world.json(try await world.send(.POST, path, token: carla, raw: #"{"reason": "Schools officer"}"#))

            let pending =
                try world.json(try await world.send(.GET, APIURL.accessRequests.path, token: amy))["requests"] as? [[String: Any]]
                ?? []
            #expect(pending.count == 2)
            #expect(
                (try world.json(try await world.send(.GET, APIURL.accessRequests.path, token: ben))["requests"] as? [Any])?
                    .isEmpty == true)

            let benID = UUID(uuidString: try world.json(asked)["id"] as! String)!
            #expect(
                try await world.send(
                    .POST, APIURL.accessRequestDecision(benID).path, token: ben, raw: #"{"decision": "granted"}"#
                ).status == .forbidden)
            let granted = try await world.send(
                .POST, APIURL.accessRequestDecision(benID).path, token: amy, raw: #"{"decision": "granted"}"#)
            #expect(granted.status == .ok)
            #expect(
                try world.json(try await world.send(.GET, APIURL.episode(created.episodeID).path, token: ben))["access"]
                    as? String == "shared")
            #expect(
                try await world.send(
                    .POST, APIURL.accessRequestDecision(benID).path, token: amy, raw: #"{"decision": "refused"}"#
                ).status == .conflict)

            let carlaID = UUID(uuidString: police["id"] as! String)!
            let outside = try await world.send(
                .POST, APIURL.accessRequestDecision(carlaID).path, token: amy, raw: #"{"decision": "granted"}"#)
            #expect(try world.error(outside).field == "decision")
            let refused = try await world.send(
                .POST, APIURL.accessRequestDecision(carlaID).path, token: amy,
                raw: #"{"decision": "refused", "note": "Not within consent"}"#)
            #expect(try world.json(refused)["status"] as? String == "refused")
            #expect(try await world.send(.GET, APIURL.episode(created.episodeID).path, token: carla).status == .forbidden)
            let events = try await AuditEvent.query(on: world.app.db).filter(\.$episodeID == created.episodeID).all()
            func count(_ action: String, _ outcome: String) -> Int {
                events.filter { $0.action == action && $0.outcome == outcome }.count
            }
            #expect(count("request-access", "allowed") == 2)
            #expect(count("request-access", "denied") == 1)
            #expect(count("decide-access-request", "allowed") == 2)
            #expect(count("decide-access-request", "denied") == 1)
        }
    }

    @Test func theRefusalPageOffersToAskAndTheWorktrayShowsTheRequest() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let created = try await world.childWithEpisode(as: amy)
            let ben = PageTests.Browser(world)
            try await ben.signIn("ben@demo.test")
            let refused = try await ben.get(SiteURL.episode(created.episodeID).path)
            #expect(refused.status == .forbidden)
            #expect(refused.body.string.contains("Ask to join the team"))
            #expect(refused.body.string.contains("Amy Clarke"))
            let sent = try await ben.post(
                SiteURL.requestAccess(created.episodeID).path, [("reason", "Health visitor for the family")])
            #expect(sent.body.string.contains("Request sent"))

            let amyPage = PageTests.Browser(world)
            try await amyPage.signIn("amy@demo.test")
            #expect(try await amyPage.get(SiteURL.home.path).body.string.contains("Requests to join your teams"))
            let request = try #require(try await AccessRequest.query(on: world.app.db).first())
            _ = try await amyPage.get(SiteURL.accessRequest(request.id!).path)
            let granted = try await amyPage.post(
                SiteURL.accessRequest(request.id!).path, [("decision", "granted"), ("note", "")])
            #expect(granted.status == .seeOther)
            #expect(try await ben.get(SiteURL.episode(created.episodeID).path).status == .ok)
        }
    }
}
