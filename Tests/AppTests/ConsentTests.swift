import CAFCore
import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

/// Consent governs every access decision: given, refused, narrowed, withdrawn, overridden.
@Suite struct ConsentTests {
    func shareWithBen(_ world: TestWorld, _ amy: String, _ episode: UUID) async throws {
        let response = try await world.send(
            .POST, APIURL.shares(episode).path, token: amy, json: ["practitionerEmail": "ben@demo.test"])
        #expect(response.status == .created)
    }

    @Test func refusalKeepsOnlyTheNoteAndOpensNoEpisode() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let childID = try await world.registerChild(as: amy)
            let refused = try await world.send(
                .POST, APIURL.consentRefusals(childID).path, token: amy,
                raw: #"{"givenBy": "parent", "name": "Sue Evans", "note": "Does not want school involved at home"}"#)
            #expect(refused.status == .created)
            #expect(try await Episode.query(on: world.app.db).count() == 0)
            #expect(try await Consent.query(on: world.app.db).count() == 0)
            let stored = try #require(try await ConsentRefusalRecord.query(on: world.app.db).first())
            #expect(stored.note == "Does not want school involved at home")
            let blank = try await world.send(
                .POST, APIURL.consentRefusals(childID).path, token: amy, raw: #"{"givenBy": "parent", "name": "Sue", "note": ""}"#
            )
            #expect(try world.error(blank).field == "note")
        }
    }

    @Test func narrowingTheScopeStopsSharingAtOnce() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let created = try await world.childWithEpisode(as: amy)
            try await shareWithBen(world, amy, created.episodeID)
            let ben = try await world.token("ben@demo.test")
            #expect(try await world.send(.GET, APIURL.episode(created.episodeID).path, token: ben).status == .ok)

            let narrowed = try await world.changeTeam(
                APIURL.consents(created.episodeID).path, token: amy,
                raw:
                    #"{"kind": "given", "consent": {"givenBy": "parent", "name": "Sue Evans", "relationship": "Mother", "method": "verbal", "scope": {"store": true, "shareWithAgencyTypes": ["education"]}}}"#
            )
            #expect(narrowed.status == .created)
            #expect(try await world.send(.GET, APIURL.episode(created.episodeID).path, token: ben).status == .forbidden)
            let history =
                try world.json(try await world.send(.GET, APIURL.episode(created.episodeID).path, token: amy))["consentHistory"]
                as? [Any]
            #expect(history?.count == 2)
        }
    }

    @Test func withdrawalFreezesTheRecordAndKeepsTheHolderAndCoordinator() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let created = try await world.childWithEpisode(as: amy)
            try await shareWithBen(world, amy, created.episodeID)
            let ben = try await world.token("ben@demo.test")

            let noReason = try await world.changeTeam(
                APIURL.consents(created.episodeID).path, token: amy, raw: #"{"kind": "withdrawn"}"#)
            #expect(noReason.status == .unprocessableEntity)
            #expect(try world.error(noReason).field == "reason")
            let byBen = try await world.changeTeam(
                APIURL.consents(created.episodeID).path, token: ben, raw: #"{"kind": "withdrawn", "reason": "x"}"#)
            #expect(byBen.status == .forbidden)

            let withdrawn = try await world.changeTeam(
                APIURL.consents(created.episodeID).path, token: amy,
                raw: #"{"kind": "withdrawn", "reason": "Mum phoned: no more sharing"}"#)
            #expect(withdrawn.status == .created)

            let benRead = try await world.send(.GET, APIURL.episode(created.episodeID).path, token: ben)
            #expect(benRead.status == .forbidden)
            #expect(try world.error(benRead).message.contains("withdrawn"))
            #expect(try await world.send(.GET, APIURL.episode(created.episodeID).path, token: amy).status == .ok)
            let erin = try await world.token("erin@demo.test")
            #expect(try await world.send(.GET, APIURL.episode(created.episodeID).path, token: erin).status == .ok)
            let mia = try await world.token("mia@demo.test")
            #expect(try await world.send(.GET, APIURL.episode(created.episodeID).path, token: mia).status == .forbidden)

            let edit = try await world.saveAssessment(created.episodeID, token: amy, raw: #"{"elements": []}"#)
            #expect(edit.status == .forbidden)
            let share = try await world.send(
                .POST, APIURL.shares(created.episodeID).path, token: amy, json: ["practitionerEmail": "mia@demo.test"])
            #expect(share.status == .forbidden)
            // Frozen, not deleted.
            #expect(try await EpisodeShare.query(on: world.app.db).count() == 1)
            #expect(try await Assessment.query(on: world.app.db).count() == 1)
        }
    }

    @Test func publicInterestOverrideNeedsTheRoleAndAReason() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let created = try await world.childWithEpisode(as: amy)
            let path = APIURL.consents(created.episodeID).path
            let byAmy = try await world.changeTeam(path, token: amy, raw: #"{"kind": "override", "reason": "Worried"}"#)
            #expect(byAmy.status == .forbidden)
            let gus = try await world.token("gus@demo.test")
            let noReason = try await world.changeTeam(path, token: gus, raw: #"{"kind": "override"}"#)
            #expect(noReason.status == .unprocessableEntity)
            let hanaCoordinatorElsewhere = try await world.token("hana@demo.test")
            #expect(
                try await world.changeTeam(path, token: hanaCoordinatorElsewhere, raw: #"{"kind": "override", "reason": "x"}"#)
                    .status == .forbidden)

            let override = try await world.changeTeam(
                path, token: gus,
                raw: #"{"kind": "override", "reason": "Police need this to protect the child from an adult"}"#)
            #expect(override.status == .created)
            // Sharing with police, outside the family's scope, is now possible, and gus reads it.
            let police = try await world.send(
                .POST, APIURL.shares(created.episodeID).path, token: amy, json: ["practitionerEmail": "carla@demo.test"])
            #expect(police.status == .created)
            let carla = try await world.token("carla@demo.test")
            #expect(try await world.send(.GET, APIURL.episode(created.episodeID).path, token: carla).status == .ok)
            #expect(
                try world.json(try await world.send(.GET, APIURL.episode(created.episodeID).path, token: gus))["access"]
                    as? String == "safeguarding")
            let audit = try await AuditEvent.query(on: world.app.db).filter(\.$action == "change-consent").all()
            #expect(
                audit.contains {
                    $0.actorEmail == "gus@demo.test" && $0.detail.contains("kind=override")
                        && $0.detail.contains("Police need this")
                })
        }
    }

    @Test func consentFormsOnTheEpisodePage() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let created = try await world.childWithEpisode(as: amy)
            let browser = PageTests.Browser(world)
            try await browser.signIn("amy@demo.test")
            let page = try await browser.get(SiteURL.episode(created.episodeID).path).body.string
            #expect(page.contains("Record that consent was withdrawn"))
            #expect(!page.contains("Share without consent in the public interest"))
            let blank = try await browser.post(
                SiteURL.episodeConsent(created.episodeID).path, [("kind", "withdrawn"), ("withdrawn-reason", "")])
            #expect(blank.status == .unprocessableEntity)
            #expect(blank.body.string.contains(##"href="#withdrawn-reason""##))
            let done = try await browser.post(
                SiteURL.episodeConsent(created.episodeID).path,
                [("kind", "withdrawn"), ("withdrawn-reason", "Dad withdrew by phone")])
            #expect(done.body.string.contains("id=\"consent-withdrawn\""))
            #expect(!done.body.string.contains("Continue the assessment"))

            let erin = PageTests.Browser(world)
            try await erin.signIn("erin@demo.test")
            #expect(
                try await erin.get(SiteURL.episode(created.episodeID).path).body.string.contains(
                    "Share without consent in the public interest"))
        }
    }

    @Test func refusalThroughTheStartPage() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let childID = try await world.registerChild(as: amy)
            let browser = PageTests.Browser(world)
            try await browser.signIn("amy@demo.test")
            _ = try await browser.get(SiteURL.startEpisode(child: childID).path)
            let refused = try await browser.post(
                SiteURL.startEpisode(child: childID).path,
                [
                    ("consent.decision", "refused"), ("consent.givenBy", "parent"), ("consent.name", "Sue"),
                    ("consent.relationship", "Mother"), ("consent.scope.store", "yes"),
                    ("note", "Not now, maybe after half term"),
                ])
            #expect(refused.status == .ok)
            #expect(refused.body.string.contains("Refusal recorded"))
            #expect(try await Episode.query(on: world.app.db).count() == 0)
            #expect(try await ConsentRefusalRecord.query(on: world.app.db).first()?.note == "Not now, maybe after half term")
        }
    }
}
