import CAFCore
import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

@Suite struct PlanTests {
    @Test func actionsAreAgreedOwnedProgressedAndShowWhenDue() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let created = try await world.childWithEpisode(as: amy)
            let episode = created.episodeID
            _ = try await world.send(.POST, APIURL.shares(episode).path, token: amy, json: ["practitionerEmail": "ben@demo.test"])

            let bad = try await world.send(
                .POST, APIURL.actions(episode).path, token: amy, raw: #"{"description": "", "elementCodes": [], "dueOn": "x"}"#)
            #expect(bad.status == .unprocessableEntity)
            #expect(try world.error(bad).field == "description")
            let notOnTeam = try await world.send(
                .POST, APIURL.actions(episode).path, token: amy,
                raw:
                    #"{"description": "Visit", "elementCodes": ["dev.selfcare"], "ownerEmail": "carla@demo.test", "dueOn": "2026-12-01"}"#
            )
            #expect(try world.error(notOnTeam).field == "owner")

            let yesterday = CalendarDate.iso(Date().addingTimeInterval(-86400))
            let added = try await world.send(
                .POST, APIURL.actions(episode).path, token: amy,
                raw:
                    #"{"description": "Sleep clinic referral", "elementCodes": ["dev.health.general"], "ownerEmail": "ben@demo.test", "dueOn": "\#(yesterday)"}"#
            )
            #expect(added.status == .created)
            let action = try world.json(added)
            #expect(action["overdue"] as? Bool == true)
            let actionID = UUID(uuidString: action["id"] as! String)!
            let agency = try await world.send(
                .POST, APIURL.actions(episode).path, token: amy,
                raw:
                    #"{"description": "Holiday club", "elementCodes": ["family.community"], "ownerAgency": "Youth service", "dueOn": "2027-03-01"}"#
            )
            #expect(agency.status == .created)

            // Ben owns the first action: he sees it due and records progress; he may not add actions.
            let benPage = PageTests.Browser(world)
            try await benPage.signIn("ben@demo.test")
            let home = try await benPage.get(SiteURL.home.path).body.string
            #expect(home.contains("Sleep clinic referral"))
            #expect(home.contains("Overdue"))
            let ben = try await world.token("ben@demo.test")
            #expect(
                try await world.send(
                    .POST, APIURL.actions(episode).path, token: ben,
                    raw: #"{"description": "x", "elementCodes": ["dev.selfcare"], "ownerAgency": "y", "dueOn": "2027-01-01"}"#
                ).status == .forbidden)
            let started = try await world.send(
                .PATCH, APIURL.action(episode: episode, action: actionID).path, token: ben,
                raw: #"{"status": "in-progress", "outcomeNote": "Referred"}"#)
            #expect(started.status == .ok)
            #expect(try world.json(started)["startedAt"] as? String != nil)
            let agencyID = UUID(uuidString: try world.json(agency)["id"] as! String)!
            #expect(
                try await world.send(
                    .PATCH, APIURL.action(episode: episode, action: agencyID).path, token: ben, raw: #"{"status": "done"}"#
                ).status == .forbidden)
            let done = try await world.send(
                .PATCH, APIURL.action(episode: episode, action: actionID).path, token: ben, raw: #"{"status": "done"}"#)
            #expect(try world.json(done)["completedAt"] as? String != nil)
            #expect(try world.json(done)["overdue"] as? Bool == false)

            let review = try await world.send(
                .PUT, APIURL.planReview(episode).path, token: amy, raw: #"{"reviewOn": "\#(CalendarDate.iso(Date()))"}"#)
            #expect(review.status == .ok)
            #expect(try world.json(review)["reviewOn"] as? String == CalendarDate.iso(Date()))
            #expect(
                try world.error(
                    try await world.send(.PUT, APIURL.planReview(episode).path, token: amy, raw: #"{"reviewOn": "soon"}"#)
                ).field == "reviewOn")
            let amyPage = PageTests.Browser(world)
            try await amyPage.signIn("amy@demo.test")
            #expect(try await amyPage.get(SiteURL.home.path).body.string.contains("Plan reviews due"))

            let plan = try world.json(try await world.send(.GET, APIURL.actions(episode).path, token: ben))
            #expect((plan["actions"] as? [Any])?.count == 2)
        }
    }

    @Test func planPageAddsActionsAndRecordsProgress() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let created = try await world.childWithEpisode(as: amy)
            let browser = PageTests.Browser(world)
            try await browser.signIn("amy@demo.test")
            _ = try await browser.get(SiteURL.plan(created.episodeID).path)
            let missing = try await browser.post(SiteURL.planActions(created.episodeID).path, [("description", "Breakfast club")])
            #expect(missing.status == .unprocessableEntity)
            #expect(missing.body.string.contains(##"href="#elementCodes""##))
            #expect(missing.body.string.contains("Breakfast club</textarea>"))
            let added = try await browser.post(
                SiteURL.planActions(created.episodeID).path,
                [
                    ("description", "Breakfast club"), ("elementCodes[]", "dev.selfcare"),
                    ("ownerId", try await world.signedIn("amy@demo.test").id.uuidString),
                    ("dueOn-day", "18"), ("dueOn-month", "12"), ("dueOn-year", "2026"),
                ])
            #expect(added.body.string.contains("Action added"))
            let action = try #require(try await PlanAction.query(on: world.app.db).first())
            let key = action.id!.uuidString.lowercased()
            let progressed = try await browser.post(
                SiteURL.action(action.id!).path, [("status.\(key)", "done"), ("outcomeNote.\(key)", "Going well")])
            #expect(progressed.body.string.contains("Progress saved"))
            #expect(try await PlanAction.find(action.id, on: world.app.db)?.status == .done)
        }
    }
}
