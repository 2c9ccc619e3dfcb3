import CAFCore
import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

@Suite struct EpisodeAPITests {
    @Test func theWalkingSkeletonJourney() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let created = try await world.childWithEpisode(as: amy)
            let episode = created.episodeID

            // A draft may be partial; completing needs every level.
            let draft = try await world.saveAssessment(
                episode, token: amy,
                raw:
                    #"{"reasonForAssessment": "Attendance", "elements": [{"code": "dev.selfcare", "needs": "Late most days", "level": 2}]}"#
            )
            #expect(draft.status == .ok)
            let early = try await world.send(.POST, APIURL.completeAssessment(episode).path, token: amy)
            #expect(early.status == .unprocessableEntity)
            let problems = ((try world.json(early)["error"] as? [String: Any])?["problems"] as? [[String: Any]] ?? []).compactMap
            {
                $0["field"] as? String
            }
            #expect(problems.contains("level.dev.health.general"))
            #expect(problems.contains("identifying.ethnicity"))
            #expect(!problems.contains("level.dev.selfcare"))

            #expect(
                try await world.saveAssessment(episode, token: amy, raw: try TestWorld.completeAssessment())
                    .status == .ok)
            let done = try await world.send(.POST, APIURL.completeAssessment(episode).path, token: amy)
            #expect(done.status == .ok)
            #expect(try world.json(done)["status"] as? String == "completed")

            // Completed is immutable.
            let change = try await world.saveAssessment(episode, token: amy, raw: try TestWorld.completeAssessment(level: "1"))
            #expect(change.status == .conflict)
            let stored = try await Episodes.latestAssessment(of: episode, on: world.app.db)
            #expect(try stored.content(try world.app.requireSecrets()).element("dev.selfcare").level == .additional)

            // Share with ben (health: within consent); ben reads it.
            let share = try await world.send(
                .POST, APIURL.shares(episode).path, token: amy, json: ["practitionerEmail": "ben@demo.test"])
            #expect(share.status == .created)
            let ben = try await world.token("ben@demo.test")
            let benRead = try await world.send(.GET, APIURL.assessment(episode).path, token: ben)
            #expect(benRead.status == .ok)
            #expect((try world.json(benRead)["elements"] as? [Any])?.count == 19)
            #expect(
                try world.json(try await world.send(.GET, APIURL.episode(episode).path, token: ben))["access"] as? String
                    == "shared")

            // carla (police) is outside the team: refused, told whom to contact, audited.
            let carla = try await world.token("carla@demo.test")
            let refused = try await world.send(.GET, APIURL.episode(episode).path, token: carla)
            #expect(refused.status == .forbidden)
            #expect(try world.error(refused).message.contains("Amy Clarke"))
            #expect(try world.error(refused).message.contains("amy@demo.test"))
            #expect(try await world.send(.GET, APIURL.assessment(episode).path, token: carla).status == .forbidden)

            // erin, the LA's coordinator, reads the episode and the audit trail with carla's refusal in it.
            let erin = try await world.token("erin@demo.test")
            #expect(
                try world.json(try await world.send(.GET, APIURL.episode(episode).path, token: erin))["access"] as? String
                    == "coordinator")
            let audit = try await world.send(.GET, APIURL.audit.path + "?childId=\(created.childID.uuidString)", token: erin)
            #expect(audit.status == .ok)
            let events = try world.json(audit)["events"] as? [[String: Any]] ?? []
            #expect(events.contains { $0["actorEmail"] as? String == "carla@demo.test" && $0["outcome"] as? String == "denied" })
            #expect(events.contains { $0["action"] as? String == "complete-assessment" })
            #expect(
                events.contains {
                    $0["action"] as? String == "share-episode" && ($0["detail"] as? String)?.contains("ben@demo.test") == true
                })
            #expect(
                events.contains { $0["action"] as? String == "view-assessment" && $0["actorEmail"] as? String == "ben@demo.test" }
            )

            // The versions list and mine=true.
            let versions =
                try world.json(try await world.send(.GET, APIURL.assessments(episode).path, token: ben))["versions"]
                as? [[String: Any]]
            #expect(versions?.count == 1)
            let mine =
                try world.json(try await world.send(.GET, APIURL.episodes.path + "?mine=true", token: ben))["episodes"]
                as? [[String: Any]]
            #expect(mine?.map { $0["id"] as? String } == [episode.uuidString])
        }
    }

    @Test func sharingOutsideConsentIsRefused() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let created = try await world.childWithEpisode(as: amy)
            let police = try await world.send(
                .POST, APIURL.shares(created.episodeID).path, token: amy, json: ["practitionerEmail": "carla@demo.test"])
            #expect(police.status == .forbidden)
            #expect(try world.error(police).message.contains("consent"))
            let nobody = try await world.send(
                .POST, APIURL.shares(created.episodeID).path, token: amy, json: ["practitionerEmail": "nobody@demo.test"])
            #expect(nobody.status == .unprocessableEntity)
            #expect(try world.error(nobody).field == "practitionerEmail")
            #expect(try await EpisodeShare.query(on: world.app.db).count() == 0)
            let denied = try await AuditEvent.query(on: world.app.db).filter(\.$outcome == "denied").all()
            #expect(denied.contains { $0.action == "share-episode" && $0.detail == "outside-consent" })
        }
    }

    @Test func onlyTheAuthorWritesAndSharedReadersCannotReshare() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let created = try await world.childWithEpisode(as: amy)
            _ = try await world.send(
                .POST, APIURL.shares(created.episodeID).path, token: amy, json: ["practitionerEmail": "ben@demo.test"])
            let ben = try await world.token("ben@demo.test")
            let write = try await world.saveAssessment(created.episodeID, token: ben, raw: try TestWorld.completeAssessment())
            #expect(write.status == .forbidden)
            let reshare = try await world.send(
                .POST, APIURL.shares(created.episodeID).path, token: ben, json: ["practitionerEmail": "mia@demo.test"])
            #expect(reshare.status == .forbidden)
        }
    }

    @Test func consentMustAllowStoringAndNameTheGiver() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let childID = try await world.registerChild(as: amy)
            let refused = try await world.send(
                .POST, APIURL.childEpisodes(childID).path, token: amy,
                raw:
                    #"{"consent": {"givenBy": "parent", "name": "Sue", "relationship": "Mother", "method": "verbal", "scope": {"store": false, "shareWithAgencyTypes": []}}}"#
            )
            #expect(refused.status == .unprocessableEntity)
            #expect(try world.error(refused).field == "consent.scope.store")
            let badEnum = try await world.send(
                .POST, APIURL.childEpisodes(childID).path, token: amy,
                raw:
                    #"{"consent": {"givenBy": "neighbour", "name": "Sue", "method": "verbal", "scope": {"store": true, "shareWithAgencyTypes": []}}}"#
            )
            #expect(badEnum.status == .unprocessableEntity)
            #expect(try world.error(badEnum).field == "consent.givenBy")
            #expect(try await Episode.query(on: world.app.db).count() == 0)
        }
    }

    @Test func unknownElementCodesAreRejected() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let created = try await world.childWithEpisode(as: amy)
            let response = try await world.saveAssessment(
                created.episodeID, token: amy,
                raw: #"{"elements": [{"code": "dev.flying", "level": 1}]}"#)
            #expect(response.status == .unprocessableEntity)
            #expect(try world.error(response).field == "elements[0].code")
            let badLevel = try await world.saveAssessment(
                created.episodeID, token: amy,
                raw: #"{"elements": [{"code": "dev.selfcare", "level": 9}]}"#)
            #expect(try world.error(badLevel).field == "elements[0].level")
        }
    }

    @Test func auditIsForTheChildsCoordinatorsOnly() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let created = try await world.childWithEpisode(as: amy)
            let path = APIURL.audit.path + "?childId=\(created.childID.uuidString)"
            #expect(try await world.send(.GET, path, token: amy).status == .forbidden)
            #expect(try await world.send(.GET, APIURL.audit.path, token: amy).status == .unprocessableEntity)
            let erin = try await world.token("erin@demo.test")
            #expect(
                try await world.send(.GET, APIURL.audit.path + "?episodeId=\(created.episodeID.uuidString)", token: erin).status
                    == .ok)
        }
    }

    @Test func managersReadTheirStaffsEpisodesAndOtherLAsDoNot() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let created = try await world.childWithEpisode(as: amy)
            let mia = try await world.token("mia@demo.test")
            #expect(
                try world.json(try await world.send(.GET, APIURL.episode(created.episodeID).path, token: mia))["access"]
                    as? String == "manager")
            let hana = try await world.token("hana@demo.test")
            #expect(try await world.send(.GET, APIURL.episode(created.episodeID).path, token: hana).status == .forbidden)
            let gus = try await world.token("gus@demo.test")
            #expect(try await world.send(.GET, APIURL.episode(created.episodeID).path, token: gus).status == .forbidden)
        }
    }
}
