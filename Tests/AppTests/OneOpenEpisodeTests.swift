import CAFCore
import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

/// Issue 13: a practitioner in another LA opened a second CAF on a child who already had one
/// (201), with consent she typed herself. One open CAF a child; the rest join its team.
@Suite struct OneOpenEpisodeTests {
    @Test func aSecondOpenEpisodeIsRefusedPointingToTheTeam() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let created = try await world.childWithEpisode(as: amy)
            let before = try await Episode.query(on: world.app.db).count()
            for persona in ["amy@demo.test", "ben@demo.test", "hana@demo.test"] {
                let response = try await world.send(
                    .POST, APIURL.childEpisodes(created.childID).path, token: try await world.token(persona),
                    raw: try TestWorld.jsonText(TestWorld.consentForHealthAndEducation))
                #expect(response.status == .conflict, "\(persona)")
                #expect(try world.error(response).code == "episode-already-open", "\(persona)")
                let related = (try world.json(response)["error"] as? [String: Any])?["related"] as? [String]
                #expect(related?.compactMap(UUID.init(uuidString:)) == [created.episodeID], "\(persona)")
            }
            #expect(try await Episode.query(on: world.app.db).count() == before)
        }
    }
}
