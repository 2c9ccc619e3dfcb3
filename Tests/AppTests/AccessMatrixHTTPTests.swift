import CAFCore
import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

/// The access matrix end to end: every demo persona asks the API to read and to write one
/// episode, and the answer is exactly the policy's for that person and episode. Changing an
/// id in the URL never reveals anything.
@Suite struct AccessMatrixHTTPTests {
    @Test func everyPersonaGetsThePolicysAnswerOverHTTP() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let created = try await world.childWithEpisode(as: amy)  // consent covers health and education
            let shared = try await world.send(
                .POST, APIURL.shares(created.episodeID).path, token: amy, json: ["practitionerEmail": "ben@demo.test"])
            #expect(shared.status == .created)
            let author = try #require(
                try await SignedIn.load(
                    try await Practitioner.query(on: world.app.db).filter(\.$email == "amy@demo.test").first()!.id!,
                    on: world.app.db))
            let facts = try await Access.episode(created.episodeID, .read, by: author, on: world.app.db).facts

            var outcomes: [String: (read: Bool, write: Bool)] = [:]
            for persona in DemoData.personas {
                let practitioner = try await Practitioner.query(on: world.app.db).filter(\.$email == persona.email).first()!
                let actor = try #require(try await SignedIn.load(practitioner.id!, on: world.app.db)).actor
                let token = try await world.token(persona.email)
                let read = try await world.send(.GET, APIURL.episode(created.episodeID).path, token: token)
                let write = try await world.saveAssessment(created.episodeID, token: token, raw: #"{"elements": []}"#)
                let mayRead = AccessPolicy.decide(actor, .read, facts).isAllowed
                let mayWrite = AccessPolicy.decide(actor, .write, facts).isAllowed
                #expect(read.status == (mayRead ? .ok : .forbidden), "\(persona.email) read")
                #expect(write.status == (mayWrite ? .ok : .forbidden), "\(persona.email) write")
                outcomes[persona.email] = (read.status == .ok, write.status == .ok)

                // Another id, real or not, never answers with anything but "not found".
                let guessed = try await world.send(.GET, APIURL.episode(UUID()).path, token: token)
                #expect(guessed.status == .notFound, "\(persona.email) guessed id")
                #expect(try world.json(guessed)["episode"] == nil)
            }
            // The cells the brief names, so the comparison above is not with itself alone.
            #expect(outcomes["amy@demo.test"]! == (true, true))  // the author
            #expect(outcomes["ben@demo.test"]!.read)  // shared, health is in the consent
            #expect(outcomes["carla@demo.test"]! == (false, false))  // police: no relation, not in the consent
            #expect(outcomes["erin@demo.test"]!.read)  // the LA's coordinator
            #expect(outcomes["hana@demo.test"]! == (false, false))  // another LA
            #expect(outcomes["fay@demo.test"]! == (false, false))  // la-admin never reads case content
            #expect(outcomes["nat@demo.test"]! == (false, false))  // nor does the analyst
        }
    }

    @Test func refusalsNameWhoToAskAndAreAudited() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let created = try await world.childWithEpisode(as: amy)
            let hana = try await world.token("hana@demo.test")
            let refused = try await world.send(.GET, APIURL.assessment(created.episodeID).path, token: hana)
            #expect(refused.status == .forbidden)
            #expect(try world.error(refused).message.contains("Amy Clarke"))
            #expect(!refused.body.string.contains("Lily"))  // nothing of the child leaks in a refusal
            let denied = try await AuditEvent.query(on: world.app.db).filter(\.$outcome == "denied")
                .filter(\.$actorEmail == "hana@demo.test").count()
            #expect(denied == 1)
        }
    }
}
