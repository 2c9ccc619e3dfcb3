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
            let started = try await world.updateAction(
                actionID, of: episode, token: ben,
                raw: #"{"status": "in-progress", "outcomeNote": "Referred"}"#)
            #expect(started.status == .ok)
            #expect(try world.json(started)["startedAt"] as? String != nil)
            let agencyID = UUID(uuidString: try world.json(agency)["id"] as! String)!
            #expect(
                try await world.updateAction(
                    agencyID, of: episode, token: ben, raw: #"{"status": "done"}"#
                ).status == .forbidden)
            let done = try await world.updateAction(actionID, of: episode, token: ben, raw: #"{"status": "done"}"#)
            #expect(try world.json(done)["completedAt"] as? String != nil)
            #expect(try world.json(done)["overdue"] as? Bool == false)

            let review = try await world.send(
                .PUT, APIURL.planReview(episode).path, token: amy, raw: #"{"reviewOn": "\#(CalendarDate.iso(Date()))"}"#,
                headers: ["If-Match": RecordVersion.etag(1)])
            #expect(review.status == .ok)
            #expect(try world.json(review)["reviewOn"] as? String == CalendarDate.iso(Date()))
            #expect(
                try world.error(
                    try await world.send(
                        .PUT, APIURL.planReview(episode).path, token: amy, raw: #"{"reviewOn": "soon"}"#,
                        headers: ["If-Match": RecordVersion.etag(2)])
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
                SiteURL.action(action.id!).path,
                [("version.\(key)", "\(action.version)"), ("status.\(key)", "done"), ("outcomeNote.\(key)", "Going well")])
            #expect(progressed.body.string.contains("Progress saved"))
            #expect(try await PlanAction.find(action.id, on: world.app.db)?.status == .done)
        }
    }

    /// Issue 15: a change to an action names the version it was made on. Changed by someone
    /// else since, nothing is saved; the writer is told who changed it, when and what it says.
    @Test func aStaleChangeToAnActionSavesNothingAndSaysWhoChangedIt() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let episode = try await world.childWithEpisode(as: amy).episodeID
            let action = try await world.addAction(to: episode, token: amy)
            let plan = try world.json(try await world.send(.GET, APIURL.actions(episode).path, token: amy))
            #expect((plan["actions"] as? [[String: Any]])?.first?["version"] as? Int == 1)
            func patch(_ body: String, ifMatch: String?) async throws -> TestingHTTPResponse {
                var headers: HTTPHeaders = [:]
                if let ifMatch { headers.replaceOrAdd(name: .ifMatch, value: ifMatch) }
                return try await world.send(
                    .PATCH, APIURL.action(episode: episode, action: action).path, token: amy, raw: body, headers: headers)
            }
            #expect(try await patch(#"{"status": "done"}"#, ifMatch: nil).status == .preconditionRequired)
            let first = try await patch(#"{"status": "in-progress", "outcomeNote": "Referred <today>"}"#, ifMatch: #""1""#)
            #expect(first.status == .ok)
            #expect(first.headers.first(name: .eTag) == #""2""#)
            let stale = try await patch(#"{"status": "not-done", "outcomeNote": "Family declined"}"#, ifMatch: #""1""#)
            #expect(stale.status == .preconditionFailed)
            #expect(try world.error(stale).message.contains("Amy Clarke changed this action"))
            #expect(stale.headers.first(name: .eTag) == #""2""#)
            #expect(!(try world.error(stale).message.contains("Referred")), "what it says is read again, audited")
            for hostile in ["*", #""0""#, #""99999999999999999999""#, "2", String(repeating: "9", count: 100_000)] {
                let refused = try await patch(#"{"status": "done"}"#, ifMatch: hostile)
                #expect(refused.status == .unprocessableEntity, "\(hostile.prefix(20))")
                #expect(try world.error(refused).field == "If-Match")
            }
            let stored = try #require(try await PlanAction.find(action, on: world.app.db))
            #expect(stored.status == .inProgress && stored.outcomeNote == "Referred <today>" && stored.version == 2)

            // The page: the form carries the version it showed; sent stale, it comes back (409)
            // with the other change named and what this person typed kept.
            let browser = PageTests.Browser(world)
            try await browser.signIn("amy@demo.test")
            _ = try await browser.get(SiteURL.plan(episode).path)
            let key = action.uuidString.lowercased()
            let page = try await browser.post(
                SiteURL.action(action).path,
                [("version.\(key)", "1"), ("status.\(key)", "done"), ("outcomeNote.\(key)", "Went to two sessions")])
            #expect(page.status == .conflict)
            #expect(page.body.string.contains("Amy Clarke changed this action"))
            #expect(page.body.string.contains("Went to two sessions</textarea>"))
            #expect(page.body.string.contains(#"name="version.\#(key)" value="2""#))
            #expect(try await PlanAction.find(action, on: world.app.db)?.status == .inProgress)

            // A form back with another problem keeps the version it was opened at, so the
            // change made meanwhile is still caught when it is sent again.
            _ = try await browser.get(SiteURL.plan(episode).path)
            #expect(try await patch(#"{"status": "in-progress"}"#, ifMatch: #""2""#).status == .ok)
            let unchosen = try await browser.post(
                SiteURL.action(action).path, [("version.\(key)", "2"), ("outcomeNote.\(key)", "Declined the offer")])
            #expect(unchosen.status == .unprocessableEntity)
            #expect(unchosen.body.string.contains("Choose the action’s progress"))
            #expect(unchosen.body.string.contains(#"name="version.\#(key)" value="2""#))
            #expect(unchosen.body.string.contains("Declined the offer</textarea>"))
            let resent = try await browser.post(
                SiteURL.action(action).path, [("version.\(key)", "2"), ("status.\(key)", "not-done")])
            #expect(resent.status == .conflict)
            #expect(try await PlanAction.find(action, on: world.app.db)?.status == .inProgress)
        }
    }

    /// Issue 15: the plan's review date is set on the version its writer read; one set by
    /// someone else since is never replaced unseen.
    @Test func aReviewDateSetMeanwhileIsNotReplacedUnseen() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let erin = try await world.token("erin@demo.test")
            let episode = try await world.childWithEpisode(as: amy).episodeID
            let path = APIURL.planReview(episode).path
            let read = try await world.send(.GET, APIURL.actions(episode).path, token: amy)
            #expect(try world.json(read)["reviewVersion"] as? Int == 1)
            #expect(read.headers.first(name: .eTag) == RecordVersion.etag(1))
            let january = #"{"reviewOn": "2027-01-15"}"#
            #expect(try await world.send(.PUT, path, token: amy, raw: january).status == .preconditionRequired)
            let set = try await world.send(.PUT, path, token: amy, raw: january, headers: ["If-Match": RecordVersion.etag(1)])
            #expect(set.status == .ok)
            #expect(set.headers.first(name: .eTag) == RecordVersion.etag(2))
            #expect(try world.json(set)["reviewVersion"] as? Int == 2)
            let stale = try await world.send(
                .PUT, path, token: erin, raw: #"{"reviewOn": "2027-03-01"}"#, headers: ["If-Match": RecordVersion.etag(1)])
            #expect(stale.status == .preconditionFailed)
            #expect(try world.error(stale).message.contains("Amy Clarke changed this plan review date"))
            #expect(stale.headers.first(name: .eTag) == RecordVersion.etag(2))
            for hostile in ["*", #""abc""#, String(repeating: "9", count: 100_000)] {
                let refused = try await world.send(.PUT, path, token: erin, raw: january, headers: ["If-Match": hostile])
                #expect(refused.status == .unprocessableEntity)
                #expect(try world.error(refused).field == "If-Match")
            }
            #expect(try await Episode.find(episode, on: world.app.db)?.planReviewOn == "2027-01-15")

            // The page: a date set on a page opened before amy's next change comes back (409)
            // naming her, with what was typed kept, even after another problem first.
            let page = PageTests.Browser(world)
            try await page.signIn("erin@demo.test")
            let opened = try await page.get(SiteURL.plan(episode).path)
            #expect(opened.body.string.contains(#"name="reviewVersion" value="2""#))
            let february = #"{"reviewOn": "2027-02-01"}"#
            #expect(
                try await world.send(.PUT, path, token: amy, raw: february, headers: ["If-Match": RecordVersion.etag(2)]).status
                    == .ok)
            let march = [("reviewOn-day", "1"), ("reviewOn-month", "3"), ("reviewOn-year", "2027")]
            let impossible = try await page.post(
                SiteURL.planReview(episode).path,
                [("reviewVersion", "2"), ("reviewOn-day", "31"), ("reviewOn-month", "2"), ("reviewOn-year", "2027")])
            #expect(impossible.status == .unprocessableEntity)
            #expect(impossible.body.string.contains(#"name="reviewVersion" value="2""#))
            let conflict = try await page.post(SiteURL.planReview(episode).path, [("reviewVersion", "2")] + march)
            #expect(conflict.status == .conflict)
            #expect(conflict.body.string.contains("Amy Clarke changed this plan review date"))
            #expect(conflict.body.string.contains(#"name="reviewVersion" value="3""#))
            #expect(conflict.body.string.contains(#"name="reviewOn-month" type="text" value="3""#), "what was typed is kept")
            #expect(try await Episode.find(episode, on: world.app.db)?.planReviewOn == "2027-02-01")
            let saved = try await page.post(SiteURL.planReview(episode).path, [("reviewVersion", "3")] + march)
            #expect(saved.body.string.contains("Review date saved"))
            #expect(try await Episode.find(episode, on: world.app.db)?.planReviewOn == "2027-03-01")
        }
    }
}
