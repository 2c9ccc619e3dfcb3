import CAFCore
import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

@Suite struct SafeguardingPageTests {
    @Test func checklistWithHarmGoesStraightToThePhoneNumbers() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let childID = try await world.registerChild(as: amy)
            let browser = PageTests.Browser(world)
            try await browser.signIn("amy@demo.test")
            let child = try await browser.get(SiteURL.child(childID).path).body.string
            #expect(child.contains(SiteURL.safeguarding(child: childID).path))
            #expect(child.contains(SiteURL.checklist(child: childID).path))

            _ = try await browser.get(SiteURL.checklist(child: childID).path)
            let unanswered = try await browser.post(SiteURL.checklist(child: childID).path, [("reason", "kept")])
            #expect(unanswered.status == .unprocessableEntity)
            #expect(unanswered.body.string.contains(##"href="#harmConcern""##))
            #expect(unanswered.body.string.contains(">kept</textarea>"))

            let harm = try await browser.post(SiteURL.checklist(child: childID).path, [("harmConcern", "yes")])
            #expect(harm.status == .seeOther)
            let phone = try #require(harm.headers.first(name: .location))
            #expect(phone.hasPrefix(SiteURL.safeguarding(child: childID).path + "?checklist="))
            let page = try await browser.get(phone).body.string
            let numbers = try #require(page.range(of: "01632 960 001"))
            let form = try #require(page.range(of: "Record the call"))
            #expect(numbers.lowerBound < form.lowerBound, "the number comes before the form")
            #expect(page.contains("01632 960 002"))

            let now = Format.londonParts(Date().addingTimeInterval(-300))
            let checklistID = String(phone.split(separator: "=").last!)
            let missing = try await browser.post(
                SiteURL.safeguarding(child: childID).path,
                [
                    ("preAssessmentId", checklistID), ("calledAt-day", now.day), ("calledAt-month", now.month),
                    ("calledAt-year", now.year), ("calledAtTime", "25:00"),
                ])
            #expect(missing.status == .unprocessableEntity)
            for field in ["calledAt", "advice", "spokeTo", "adviceNote"] {
                #expect(missing.body.string.contains("href=\"#\(field)\""), "\(field)")
            }
            let recorded = try await browser.post(
                SiteURL.safeguarding(child: childID).path,
                [
                    ("preAssessmentId", checklistID), ("episodeId", ""), ("calledAt-day", now.day), ("calledAt-month", now.month),
                    ("calledAt-year", now.year), ("calledAtTime", now.time), ("spokeTo", "Duty worker"),
                    ("advice", "continue-caf"),
                    ("adviceNote", "Carry on with early help"), ("reference", "M-7"),
                ])
            #expect(recorded.status == .seeOther)
            let callPath = try #require(recorded.headers.first(name: .location))
            let call = try await browser.get(callPath).body.string
            #expect(call.contains("Due"))
            #expect(call.contains("Start a CAF"))
            let sent = try await browser.post(callPath + "/follow-up", [])
            #expect(sent.body.string.contains("Written follow-up recorded as sent"))
            let stored = try #require(try await SafeguardingCall.query(on: world.app.db).first())
            #expect(stored.followUpSentAt != nil)
            #expect(stored.$preAssessment.id?.uuidString == checklistID)
        }
    }

    @Test func checklistEndingWithoutACAFSaysWhatHappensNext() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let childID = try await world.registerChild(as: amy)
            let browser = PageTests.Browser(world)
            try await browser.signIn("amy@demo.test")
            _ = try await browser.get(SiteURL.checklist(child: childID).path)
            let single = try await browser.post(
                SiteURL.checklist(child: childID).path,
                [
                    ("harmConcern", "no"), ("worriedOutcomes[]", "being-healthy"), ("familyAskedForHelp", "no"),
                    ("ownServiceCanMeet", "yes"), ("needsUnclearOrBroad", "no"), ("reason", "School nurse referral will do"),
                ])
            #expect(single.status == .ok)
            #expect(single.body.string.contains(ChecklistDecision.singleService.title))
            let caf = try await browser.post(
                SiteURL.checklist(child: childID).path,
                [
                    ("harmConcern", "no"), ("familyAskedForHelp", "yes"), ("ownServiceCanMeet", "no"),
                    ("needsUnclearOrBroad", "yes"), ("reason", "Several worries"),
                ])
            #expect(caf.headers.first(name: .location) == SiteURL.startEpisode(child: childID).path)
        }
    }

    @Test func aHarmFlagInTheAssessmentPointsToThePhone() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let created = try await world.childWithEpisode(as: amy)
            _ = try await world.saveAssessment(
                created.episodeID, token: amy,
                raw: #"{"elements": [{"code": "parents.basic-care", "harmConcern": true}]}"#)
            let browser = PageTests.Browser(world)
            try await browser.signIn("amy@demo.test")
            let episode = try await browser.get(SiteURL.episode(created.episodeID).path).body.string
            #expect(episode.contains("id=\"harm-concern\""))
            #expect(episode.contains(SiteURL.safeguarding(child: created.childID).path + "?episode="))
            let form = try await browser.get(SiteURL.editAssessment(episode: created.episodeID).path).body.string
            #expect(form.contains("You flagged a concern of significant harm here."))
        }
    }
}
