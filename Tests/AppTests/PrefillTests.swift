import CAFCore
import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

@Suite struct PrefillTests {
    @Test func aNewAssessmentStartsWithWhatTheSystemKnows() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let first = try await world.childWithEpisode(as: amy)
            _ = try await world.send(
                .POST, APIURL.shares(first.episodeID).path, token: amy, json: ["practitionerEmail": "ben@demo.test"])
            _ = try await world.send(.POST, APIURL.close(first.episodeID).path, token: amy, raw: #"{"reason": "needs-met"}"#)
            let mia = try await world.token("mia@demo.test")
            let second = try await world.send(
                .POST, APIURL.childEpisodes(first.childID).path, token: mia,
                raw: try TestWorld.jsonText(TestWorld.consentForHealthAndEducation))
            let episodeID = try world.json(second)["id"] as! String
            let assessment = try world.json(try await world.send(.GET, "/api/v1/episodes/\(episodeID)/assessment", token: mia))
            let assessor = assessment["assessor"] as? [String: Any]
            #expect(assessor?["name"] as? String == "Mia Lewis")
            #expect(assessor?["organisation"] as? String == "Riverside Primary School")
            let parents = assessment["parents"] as? [[String: Any]] ?? []
            #expect(parents.first?["name"] as? String == "Sue Evans")
            #expect(parents.first?["relationship"] as? String == "Mother")
            let services = (assessment["services"] as? [[String: Any]] ?? []).compactMap { $0["service"] as? String }
            #expect(services == ["Riverside Primary School (Education)", "Cambridgeshire Community Health (Health)"])
        }
    }
}
