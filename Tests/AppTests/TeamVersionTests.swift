import CAFCore
import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

/// Issue 15: who is in an episode's team, who leads it and the consent move on one version
/// (`teamVersion`). A lead or consent given again decided on an older one changes nothing;
/// a withdrawal or override, and a member added, stand on the team as it is now.
@Suite struct TeamVersionTests {
    static let narrower =
        #"{"kind": "given", "consent": {"givenBy": "parent", "name": "Sue Evans", "relationship": "Mother", "method": "verbal", "scope": {"store": true, "shareWithAgencyTypes": ["education", "health"]}}}"#

    @Test func consentGivenAgainNeverUndoesAWithdrawalMadeMeanwhile() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let episode = try await world.childWithEpisode(as: amy).episodeID
            let path = APIURL.consents(episode).path
            let read = try await world.send(.GET, APIURL.team(episode).path, token: amy)
            let opened: HTTPHeaders = ["If-Match": try #require(read.headers.first(name: .eTag))]
            #expect(try world.json(read)["teamVersion"] as? Int == 1)
            let none = try await world.send(.POST, path, token: amy, raw: Self.narrower)
            #expect(none.status == .preconditionRequired)
            // Withdrawn by another tab meanwhile, without naming a version: it stands.
            let withdrawn = try await world.send(
                .POST, path, token: amy, raw: #"{"kind": "withdrawn", "reason": "Mum withdrew on the phone"}"#)
            #expect(withdrawn.status == .created)
            #expect(withdrawn.headers.first(name: .eTag) == "\"2\"")
            let stale = try await world.send(.POST, path, token: amy, raw: Self.narrower, headers: opened)
            #expect(stale.status == .preconditionFailed)
            #expect(try world.error(stale).message.contains("Amy"))
            #expect(try await Access.latestConsent(of: episode, on: world.app.db)?.kind == .withdrawn)
        }
    }

    @Test func aLeadAgreedMeanwhileIsNotReplacedUnseen() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let erin = try await world.token("erin@demo.test")
            let episode = try await world.childWithEpisode(as: amy).episodeID
            let path = APIURL.leadProfessional(episode).path
            let ben = #"{"practitionerEmail": "ben@demo.test", "basis": "assigned-by-coordinator"}"#
            #expect(try await world.send(.POST, path, token: erin, raw: ben).status == .preconditionRequired)
            let made = try await world.send(.POST, path, token: erin, raw: ben, headers: ["If-Match": "\"1\""])
            #expect(made.status == .created)
            #expect(made.headers.first(name: .eTag) == "\"2\"", "the team's version after it, for the next change")
            let mia = #"{"practitionerEmail": "mia@demo.test", "basis": "assigned-by-coordinator", "handoverNote": "Cover"}"#
            let stale = try await world.send(.POST, path, token: erin, raw: mia, headers: ["If-Match": "\"1\""])
            #expect(stale.status == .preconditionFailed)
            #expect(stale.headers.first(name: .eTag) == "\"2\"")
            let lead = try await Episode.query(on: world.app.db).filter(\.$id == episode).with(\.$leadProfessional).first()
            #expect(lead?.leadProfessional?.email == "ben@demo.test")
            // A member added names a version only if the client wants the check.
            let share = APIURL.shares(episode).path
            let late = try await world.send(
                .POST, share, token: amy, raw: #"{"practitionerEmail": "mia@demo.test"}"#, headers: ["If-Match": "\"1\""])
            #expect(late.status == .preconditionFailed)
            let added = try await world.send(.POST, share, token: amy, raw: #"{"practitionerEmail": "mia@demo.test"}"#)
            #expect(added.status == .created)
            #expect(added.headers.first(name: .eTag) == "\"3\"")
            let again = try await world.send(.POST, share, token: amy, raw: #"{"practitionerEmail": "mia@demo.test"}"#)
            #expect(again.headers.first(name: .eTag) == "\"3\"", "already in the team: nothing moved")
            let given = try await world.send(
                .POST, APIURL.consents(episode).path, token: erin, raw: TeamVersionTests.narrower,
                headers: ["If-Match": "\"3\""])
            #expect(given.status == .created)
            #expect(given.headers.first(name: .eTag) == "\"4\"")
        }
    }

    /// The team page: a lead chosen on a page opened before another change saves nothing and
    /// says who changed the team; sent again from the page it came back on, it is saved.
    @Test func theTeamPageShowsAChangeMadeMeanwhile() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let episode = try await world.childWithEpisode(as: amy).episodeID
            let page = PageTests.Browser(world)
            try await page.signIn("erin@demo.test")
            let opened = try await page.get(SiteURL.team(episode).path)
            #expect(opened.body.string.contains(#"name="teamVersion" value="1""#))
            let share = try await world.send(
                .POST, APIURL.shares(episode).path, token: amy, raw: #"{"practitionerEmail": "ben@demo.test"}"#)
            #expect(share.status == .created)
            let amyID = try await Practitioner.query(on: world.app.db).filter(\.$email == "amy@demo.test").first()!.id!
            let choice = [("practitionerId", amyID.uuidString), ("basis", "assigned-by-coordinator"), ("handoverNote", "")]
            let conflict = try await page.post(SiteURL.leadProfessional(episode).path, choice)
            #expect(conflict.status == .conflict)
            #expect(conflict.body.string.contains("Amy Clarke changed this team"))
            #expect(conflict.body.string.contains(#"name="teamVersion" value="2""#))
            #expect(try await Episode.find(episode, on: world.app.db)?.$leadProfessional.id == nil)
            let saved = try await page.post(SiteURL.leadProfessional(episode).path, choice)
            #expect(saved.status == .ok)
            #expect(try await Episode.find(episode, on: world.app.db)?.$leadProfessional.id == amyID)
        }
    }

    /// Found by review: a form that comes back with another problem keeps the team version it
    /// was opened at, so a change made meanwhile is still caught when it is sent again.
    @Test func aFormBackWithAProblemStillCatchesAChangeMadeMeanwhile() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let erin = try await world.token("erin@demo.test")
            let episode = try await world.childWithEpisode(as: amy).episodeID
            let page = PageTests.Browser(world)
            try await page.signIn("erin@demo.test")
            _ = try await page.get(SiteURL.team(episode).path)
            let share = try await world.send(
                .POST, APIURL.shares(episode).path, token: amy, raw: #"{"practitionerEmail": "ben@demo.test"}"#)
            #expect(share.status == .created)
            let basis = ("basis", "assigned-by-coordinator")
            let unchosen = try await page.post(SiteURL.leadProfessional(episode).path, [("practitionerId", ""), basis])
            #expect(unchosen.status == .unprocessableEntity)
            #expect(unchosen.body.string.contains(#"name="teamVersion" value="1""#))
            let amyID = try await Practitioner.query(on: world.app.db).filter(\.$email == "amy@demo.test").first()!.id!
            let resent = try await page.post(
                SiteURL.leadProfessional(episode).path, [("practitionerId", amyID.uuidString), basis])
            #expect(resent.status == .conflict)
            #expect(try await Episode.find(episode, on: world.app.db)?.$leadProfessional.id == nil)

            // The episode page's share form likewise.
            let sharing = PageTests.Browser(world)
            try await sharing.signIn("amy@demo.test")
            _ = try await sharing.get(SiteURL.episode(episode).path)
            let lead = try await world.send(
                .POST, APIURL.leadProfessional(episode).path, token: erin,
                raw: #"{"practitionerEmail": "ben@demo.test", "basis": "assigned-by-coordinator"}"#,
                headers: ["If-Match": "\"2\""])
            #expect(lead.status == .created)
            let unknown = try await sharing.post(SiteURL.shareEpisode(episode).path, [("practitionerEmail", "nobody@demo.test")])
            #expect(unknown.status == .unprocessableEntity)
            #expect(unknown.body.string.contains(#"name="teamVersion" value="2""#))
            let late = try await sharing.post(SiteURL.shareEpisode(episode).path, [("practitionerEmail", "mia@demo.test")])
            #expect(late.status == .conflict)
            #expect(try await EpisodeShare.query(on: world.app.db).filter(\.$episode.$id == episode).count() == 1)
        }
    }

    /// Found by review: an access request granted as consent is withdrawn comes wholly before
    /// the withdrawal or is refused; never a share made after it.
    @Test func aGrantRacingAWithdrawalNeverSharesAfterIt() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let ben = try await world.token("ben@demo.test")
            for round in 1...StateRaceTests.rounds {
                let (episode, id) = try await StateRaceTests.episodeAskedToJoin(world, by: amy, asking: ben)
                let statuses = try await StateRaceTests.atOnce(2) { index in
                    index == 0
                        ? try await world.send(
                            .POST, APIURL.accessRequestDecision(id).path, token: amy, raw: #"{"decision": "granted"}"#
                        ).status
                        : try await world.send(
                            .POST, APIURL.consents(episode).path, token: amy,
                            raw: #"{"kind": "withdrawn", "reason": "Mum withdrew on the phone"}"#
                        ).status
                }
                #expect(statuses[1] == .created, "round \(round): \(statuses)")
                #expect(
                    [.ok, .preconditionFailed, .unprocessableEntity, .forbidden].contains(statuses[0]),
                    "round \(round): \(statuses)")
                let events = try await AuditEvent.query(on: world.app.db).filter(\.$episodeID == episode)
                    .filter(\.$action ~~ ["decide-access-request", "change-consent"]).sort(\.$sequence).all()
                let shares = try await EpisodeShare.query(on: world.app.db).filter(\.$episode.$id == episode).count()
                #expect(shares == (statuses[0] == .ok ? 1 : 0), "round \(round)")
                if statuses[0] == .ok {
                    #expect(events.map(\.action) == ["decide-access-request", "change-consent"], "round \(round)")
                }
            }
        }
    }
}
