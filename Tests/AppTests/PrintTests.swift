import CAFCore
import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

@Suite struct PrintTests {
    @Test func thePrintViewHoldsTheWholeEpisodeForItsTeamOnly() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let created = try await world.childWithEpisode(as: amy)
            _ = try await world.saveAssessment(created.episodeID, token: amy, raw: try TestWorld.completeAssessment())
            _ = try await world.send(
                .POST, APIURL.actions(created.episodeID).path, token: amy,
                raw:
                    #"{"description": "Breakfast club", "elementCodes": ["dev.selfcare"], "ownerAgency": "School", "dueOn": "2026-12-18"}"#
            )
            _ = try await world.send(
                .POST, APIURL.familyMembers(created.episodeID).path, token: amy,
                json: ["name": "Sue Evans", "relationship": "Mother"])
            let browser = PageTests.Browser(world)
            try await browser.signIn("amy@demo.test")
            let page = try await browser.get(SiteURL.printEpisode(created.episodeID).path)
            #expect(page.status == .ok)
            let html = page.body.string
            for expected in [
                "Attendance has fallen to 80%", "Consent decisions", "Breakfast club", "Sue Evans (Mother)", "Action plan",
            ] {
                #expect(html.contains(expected), "\(expected)")
            }
            let carla = PageTests.Browser(world)
            try await carla.signIn("carla@demo.test")
            #expect(try await carla.get(SiteURL.printEpisode(created.episodeID).path).status == .forbidden)
        }
    }

    /// The team may reopen a stepped-up CAF while social care decide; returning the referral
    /// afterwards still stands (it reopens nothing twice).
    @Test func aReferralReturnedAfterTheCAFWasReopenedStillStands() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let created = try await world.childWithEpisode(as: amy)
            #expect(
                try await world.send(
                    .POST, APIURL.close(created.episodeID).path, token: amy,
                    raw: #"{"reason": "step-up", "note": "Neglect indicators despite the plan"}"#
                ).status == .ok)
            #expect(
                try await world.send(
                    .POST, APIURL.reopen(created.episodeID).path, token: amy, raw: #"{"reason": "New school place agreed"}"#
                ).status == .ok)
            let referral = try #require(try await Referral.query(on: world.app.db).first())
            let gus = try await world.token("gus@demo.test")
            let returned = try await world.send(
                .POST, APIURL.referralDecision(referral.id!).path, token: gus,
                raw: #"{"decision": "returned", "reason": "Early help can meet this"}"#)
            #expect(returned.status == .ok)
            #expect(try await Referral.find(referral.id!, on: world.app.db)?.decision == .returned)
            #expect(try await EpisodeReopening.query(on: world.app.db).count() == 1)
            #expect(try await Episode.find(created.episodeID, on: world.app.db)?.status == .open)
        }
    }
}
