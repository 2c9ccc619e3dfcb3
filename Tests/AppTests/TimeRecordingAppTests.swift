import CAFCore
import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

/// Practitioners' time: manual entries, and active editing captured on the forms.
@Suite struct TimeRecordingAppTests {
    @Test func theTeamRecordsTimeAndOthersCannot() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let created = try await world.childWithEpisode(as: amy)
            let path = APIURL.timeEntries(created.episodeID).path
            let call = try await world.send(
                .POST, path, token: amy, raw: #"{"activity": "calls", "minutes": 20, "on": "2026-11-20"}"#)
            #expect(call.status == .created)
            #expect(try world.json(call)["minutes"] as? Int == 20)
            let today = try await world.send(.POST, path, token: amy, raw: #"{"activity": "visits", "minutes": 45}"#)
            #expect(try world.json(today)["on"] as? String == CalendarDate.iso(Date()))

            for (body, field) in [
                (#"{"activity": "juggling", "minutes": 20}"#, "activity"), (#"{"activity": "calls", "minutes": 0}"#, "minutes"),
                (#"{"activity": "assessment-writing", "minutes": 20}"#, "activity"),
                (#"{"activity": "calls", "minutes": 5, "on": "2999-01-01"}"#, "on"),
            ] {
                let bad = try await world.send(.POST, path, token: amy, raw: body)
                #expect(bad.status == .unprocessableEntity, "\(body)")
                #expect(try world.error(bad).field == field, "\(body)")
            }
            // Dan is not on the team; Fay administers accounts.
            for email in ["dan@demo.test", "fay@demo.test"] {
                let refused = try await world.send(
                    .POST, path, token: try await world.token(email), raw: #"{"activity": "calls", "minutes": 5}"#)
                #expect(refused.status == .forbidden, "\(email)")
            }
            #expect(try await TimeRecord.query(on: world.app.db).count() == 2)
        }
    }

    @Test func editingTimeCountsActiveGapsOnly() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let created = try await world.childWithEpisode(as: amy)
            let signedIn = try await world.signedIn("amy@demo.test")
            let session = try await TimeSpent.startEditing(
                .assessmentWriting, episode: created.episodeID, by: signedIn, on: world.app.db)
            let opened = try #require(try await EditingSession.find(session, on: world.app.db)).startedAt
            func active() async throws -> Double { try await EditingSession.find(session, on: world.app.db)!.activeSeconds }
            // Saved two minutes after opening (no pings yet): counts.
            try await TimeSpent.mark(session.uuidString, ping: false, by: signedIn, at: opened + 120, on: world.app.db)
            #expect(try await active() == 120)
            // A ping a minute later: counts, and the page is known to ping.
            try await TimeSpent.mark(session.uuidString, ping: true, by: signedIn, at: opened + 180, on: world.app.db)
            #expect(try await active() == 180)
            // Ten quiet minutes, then a save: the pings stopped, so nobody was there.
            try await TimeSpent.mark(session.uuidString, ping: false, by: signedIn, at: opened + 780, on: world.app.db)
            #expect(try await active() == 180)
            // Someone else's marks change nothing.
            let ben = try await world.signedIn("ben@demo.test")
            try await TimeSpent.mark(session.uuidString, ping: true, by: ben, at: opened + 800, on: world.app.db)
            try await TimeSpent.mark("not-a-session", ping: true, by: signedIn, on: world.app.db)
            #expect(try await active() == 180)
        }
    }

    @Test func theFormsCarryTheirEditingSessionAndTheEpisodePageTakesTime() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let created = try await world.childWithEpisode(as: amy)
            let browser = PageTests.Browser(world)
            try await browser.signIn("amy@demo.test")
            let form = try await browser.get(SiteURL.editAssessment(episode: created.episodeID).path)
            #expect(form.body.string.contains("name=\"editingSession\""))
            #expect(form.body.string.contains("<script src=\"\(Assets.script.path)\" defer=\"defer\"></script>"))
            let session = try #require(try await EditingSession.query(on: world.app.db).first())
            #expect(session.activity == .assessmentWriting)
            #expect(session.$assessment.id != nil)
            let ping = try await browser.post(SiteURL.editingPing(session.id!).path, [])
            #expect(ping.status == .ok)
            #expect(try world.json(ping)["othersEditing"] as? [String] == [], "no one else is writing it")
            #expect(try await EditingSession.find(session.id!, on: world.app.db)?.pinging == true)

            let bad = try await browser.post(
                SiteURL.episodeTime(created.episodeID).path, [("time-activity", "calls"), ("time-minutes", "lots")])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains("href=\"#time-minutes\""))
            #expect(bad.body.string.contains("value=\"lots\""))
            let good = try await browser.post(
                SiteURL.episodeTime(created.episodeID).path, [("time-activity", "visits"), ("time-minutes", "40")])
            #expect(good.status == .ok)
            #expect(good.body.string.contains("Time recorded"))
            #expect(try await TimeRecord.query(on: world.app.db).first()?.minutes == 40)
        }
    }
}
