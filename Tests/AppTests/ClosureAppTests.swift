import CAFCore
import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

@Suite struct ClosureAppTests {
    @Test func closingMakesTheEpisodeReadOnlyAndReopeningIsRecorded() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let created = try await world.childWithEpisode(as: amy)
            let episode = created.episodeID
            let other = try await world.send(.POST, APIURL.close(episode).path, token: amy, raw: #"{"reason": "other"}"#)
            #expect(try world.error(other).field == "note")
            let closed = try await world.send(.POST, APIURL.close(episode).path, token: amy, raw: #"{"reason": "needs-met"}"#)
            #expect(closed.status == .ok)
            #expect(try world.json(closed)["closureReason"] as? String == "needs-met")

            let edit = try await world.saveAssessment(episode, token: amy, raw: #"{"elements": []}"#)
            #expect(edit.status == .forbidden)
            #expect(try world.error(edit).message.contains("closed"))
            // Closing it again is told it is closed (409), as a close at the same moment is: the
            // answer must not hang on whether the other close committed first.
            let again = try await world.send(.POST, APIURL.close(episode).path, token: amy, raw: #"{"reason": "needs-met"}"#)
            #expect(try again.status == .conflict && world.error(again).code == "episode-closed")
            #expect(try await world.send(.GET, APIURL.episode(episode).path, token: amy).status == .ok)

            let noReason = try await world.send(.POST, APIURL.reopen(episode).path, token: amy, raw: #"{"reason": ""}"#)
            #expect(try world.error(noReason).field == "reason")
            let reopened = try await world.send(
                .POST, APIURL.reopen(episode).path, token: amy, raw: #"{"reason": "New worries"}"#)
            #expect(reopened.status == .ok)
            #expect(try world.json(reopened)["status"] as? String == "open")
            let history = try await EpisodeReopening.query(on: world.app.db).all()
            #expect(history.map(\.previousClosureReason) == [.needsMet])
            let reopenedAgain = try await world.send(
                .POST, APIURL.reopen(episode).path, token: amy, raw: #"{"reason": "again"}"#)
            #expect(try reopenedAgain.status == .conflict && world.error(reopenedAgain).code == "episode-open")
        }
    }

    @Test func stepUpReachesSocialCareWhoAcceptOrReturnIt() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let created = try await world.childWithEpisode(as: amy)
            let gus = try await world.token("gus@demo.test")
            #expect(try await world.send(.GET, APIURL.episode(created.episodeID).path, token: gus).status == .forbidden)

            let stepUp = try await world.send(
                .POST, APIURL.close(created.episodeID).path, token: amy,
                raw: #"{"reason": "step-up", "note": "Neglect indicators despite the plan"}"#)
            #expect(stepUp.status == .ok)
            let pending =
                try world.json(try await world.send(.GET, APIURL.referrals.path, token: gus))["referrals"] as? [[String: Any]]
                ?? []
            #expect(pending.count == 1)
            #expect(pending.first?["childName"] as? String == "Lily Evans")
            let referralID = UUID(uuidString: pending.first?["id"] as! String)!
            #expect(
                try world.json(try await world.send(.GET, APIURL.episode(created.episodeID).path, token: gus))["access"]
                    as? String == "safeguarding")
            let hana = try await world.token("hana@demo.test")
            #expect(
                (try world.json(try await world.send(.GET, APIURL.referrals.path, token: hana))["referrals"] as? [Any])?.isEmpty
                    == true)
            #expect(
                try await world.send(
                    .POST, APIURL.referralDecision(referralID).path, token: amy, raw: #"{"decision": "accepted"}"#
                ).status == .forbidden)

            let noReason = try await world.send(
                .POST, APIURL.referralDecision(referralID).path, token: gus, raw: #"{"decision": "returned"}"#)
            #expect(try world.error(noReason).field == "reason")
            let returned = try await world.send(
                .POST, APIURL.referralDecision(referralID).path, token: gus,
                raw: #"{"decision": "returned", "reason": "Threshold not met: continue early help with a health focus"}"#)
            #expect(returned.status == .ok)
            // Returned: the CAF carries on.
            let episode = try world.json(try await world.send(.GET, APIURL.episode(created.episodeID).path, token: amy))
            #expect(episode["status"] as? String == "open")
            #expect(
                try await world.send(
                    .POST, APIURL.referralDecision(referralID).path, token: gus, raw: #"{"decision": "accepted"}"#
                ).status == .conflict)

            // A second step-up is accepted.
            _ = try await world.send(
                .POST, APIURL.close(created.episodeID).path, token: amy,
                raw: #"{"reason": "step-up", "note": "Disclosure today"}"#)
            let second =
                try world.json(try await world.send(.GET, APIURL.referrals.path, token: gus))["referrals"] as? [[String: Any]]
                ?? []
            let accepted = try await world.send(
                .POST, APIURL.referralDecision(UUID(uuidString: second.first?["id"] as! String)!).path, token: gus,
                raw: #"{"decision": "accepted"}"#)
            #expect(try world.json(accepted)["decision"] as? String == "accepted")
            #expect(
                try world.json(try await world.send(.GET, APIURL.episode(created.episodeID).path, token: amy))["status"]
                    as? String == "closed")
            let decisions = try await Referral.query(on: world.app.db).all().map(\.decision)
            #expect(Set(decisions) == [.returned, .accepted])
        }
    }

    @Test func socialCareStepDownOpensACAFWithAHandoverNote() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let childID = try await world.registerChild(as: amy)
            var body = TestWorld.consentForHealthAndEducation
            body["stepDownNote"] = "Closing our assessment; early help should focus on routines"
            let byAmy = try await world.send(
                .POST, APIURL.childEpisodes(childID).path, token: amy, raw: try TestWorld.jsonText(body))
            #expect(try world.error(byAmy).field == "stepDownNote")
            let gus = try await world.token("gus@demo.test")
            let opened = try await world.send(
                .POST, APIURL.childEpisodes(childID).path, token: gus, raw: try TestWorld.jsonText(body))
            #expect(opened.status == .created)
            #expect(
                try world.json(opened)["stepDownNote"] as? String == "Closing our assessment; early help should focus on routines"
            )
        }
    }

    @Test func closureAndReferralPages() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let created = try await world.childWithEpisode(as: amy)
            let browser = PageTests.Browser(world)
            try await browser.signIn("amy@demo.test")
            _ = try await browser.get(SiteURL.episode(created.episodeID).path)
            let missing = try await browser.post(
                SiteURL.closeEpisode(created.episodeID).path, [("close-reason", "step-up"), ("close-note", "")])
            #expect(missing.status == .unprocessableEntity)
            #expect(missing.body.string.contains(##"href="#close-note""##))
            let closed = try await browser.post(
                SiteURL.closeEpisode(created.episodeID).path, [("close-reason", "step-up"), ("close-note", "Worsening neglect")])
            #expect(closed.body.string.contains("id=\"closed\""))
            #expect(closed.body.string.contains("Reopen the episode"))

            let gus = PageTests.Browser(world)
            try await gus.signIn("gus@demo.test")
            let home = try await gus.get(SiteURL.home.path).body.string
            #expect(home.contains("Step-up referrals awaiting a decision"))
            let referral = try #require(try await Referral.query(on: world.app.db).first())
            _ = try await gus.get(SiteURL.referral(referral.id!).path)
            let blank = try await gus.post(SiteURL.referral(referral.id!).path, [("decision", "returned"), ("reason", "")])
            #expect(blank.status == .unprocessableEntity)
            let accepted = try await gus.post(SiteURL.referral(referral.id!).path, [("decision", "accepted"), ("reason", "")])
            #expect(accepted.status == .seeOther)
            #expect(try await Referral.find(referral.id, on: world.app.db)?.decision == .accepted)
        }
    }
}
