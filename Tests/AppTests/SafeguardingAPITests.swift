import CAFCore
import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

@Suite struct SafeguardingAPITests {
    static let checklistCAF =
        #"{"harmConcern": false, "worriedOutcomes": ["enjoying-and-achieving"], "familyAskedForHelp": true, "ownServiceCanMeet": false, "needsUnclearOrBroad": true, "reason": "Attendance and sleep"}"#

    @Test func checklistRecordsOneDecisionAndFindsTheOpenEpisode() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let childID = try await world.registerChild(as: amy)
            let first = try await world.send(.POST, APIURL.preAssessments(childID).path, token: amy, raw: Self.checklistCAF)
            #expect(first.status == .created)
            let body = try world.json(first)
            #expect(body["decision"] as? String == "caf")
            #expect(body["next"] as? String == APIURL.childEpisodes(childID).path)
            #expect(body["existingEpisode"] == nil || body["existingEpisode"] is NSNull)

            _ = try await world.send(
                .POST, APIURL.childEpisodes(childID).path, token: amy,
                raw: try TestWorld.jsonText(TestWorld.consentForHealthAndEducation))
            let ben = try await world.token("ben@demo.test")
            let second = try await world.send(
                .POST, APIURL.preAssessments(childID).path, token: ben,
                raw:
                    #"{"harmConcern": false, "familyAskedForHelp": false, "ownServiceCanMeet": true, "needsUnclearOrBroad": false, "reason": "Fine"}"#
            )
            let found = try world.json(second)
            #expect(found["decision"] as? String == "no-additional-needs")
            let existing = found["existingEpisode"] as? [String: Any]
            #expect((existing?["contact"] as? [String: Any])?["email"] as? String == "amy@demo.test")

            let benPage = PageTests.Browser(world)
            try await benPage.signIn("ben@demo.test")
            let checklistPage = try await benPage.get(SiteURL.checklist(child: childID).path).body.string
            #expect(checklistPage.contains("id=\"existing-episode\""))
            #expect(checklistPage.contains("open the episode, or ask to join it"))

            let stored = try await PreAssessment.query(on: world.app.db).all()
            #expect(stored.map(\.decision).sorted { $0.rawValue < $1.rawValue } == [.caf, .noAdditionalNeeds])
            #expect(stored.filter { $0.$existingEpisode.id != nil }.count == 1)
            let audited = try await AuditEvent.query(on: world.app.db).filter(\.$action == "record-pre-assessment").count()
            #expect(audited == 2)
        }
    }

    @Test func checklistNamesUnansweredQuestionsAndStoresNothing() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let childID = try await world.registerChild(as: amy)
            let response = try await world.send(
                .POST, APIURL.preAssessments(childID).path, token: amy, raw: #"{"harmConcern": false}"#)
            #expect(response.status == .unprocessableEntity)
            #expect(try world.error(response).field == "familyAskedForHelp")
            let missing = try await world.send(.POST, APIURL.preAssessments(childID).path, token: amy, raw: #"{}"#)
            #expect(try world.error(missing).field == "harmConcern")
            #expect(try await PreAssessment.query(on: world.app.db).count() == 0)
        }
    }

    @Test func harmGoesToThePhoneThenTheCallAndItsFollowUpAreTracked() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let childID = try await world.registerChild(as: amy)
            let record = try world.json(try await world.send(.GET, APIURL.child(childID).path, token: amy))
            let socialCare = record["socialCare"] as? [String: Any]
            #expect(socialCare?["dayPhone"] as? String == "01632 960 001")
            #expect(socialCare?["outOfHoursPhone"] as? String == "01632 960 002")

            let checklist = try world.json(
                try await world.send(.POST, APIURL.preAssessments(childID).path, token: amy, raw: #"{"harmConcern": true}"#))
            #expect(checklist["decision"] as? String == "safeguarding")
            #expect(checklist["next"] as? String == APIURL.safeguardingCalls(childID).path)
            let checklistID = checklist["id"] as! String

            let calledAt = ISO8601DateFormatter().string(from: Date().addingTimeInterval(-600))
            let call = try await world.send(
                .POST, APIURL.safeguardingCalls(childID).path, token: amy,
                raw:
                    #"{"calledAt": "\#(calledAt)", "spokeTo": "Duty worker", "advice": "continue-caf", "adviceNote": "Carry on", "reference": "M-1", "preAssessmentId": "\#(checklistID)"}"#
            )
            #expect(call.status == .created)
            let callBody = try world.json(call)
            #expect(callBody["followUp"] as? String == "due")
            #expect(callBody["cafContinues"] as? Bool == true)
            let due = ISO8601DateFormatter().date(from: callBody["followUpDue"] as! String)!
            let expected = ISO8601DateFormatter().date(from: calledAt)!.addingTimeInterval(48 * 3600)
            #expect(abs(due.timeIntervalSince(expected)) < 1)
            let callID = UUID(uuidString: callBody["id"] as! String)!

            // The MASH (gus) sees calls to his LA; carla, not the caller, may not read it.
            let gus = try await world.token("gus@demo.test")
            let calls = try world.json(try await world.send(.GET, APIURL.calls.path, token: gus))["calls"] as? [[String: Any]]
            #expect(calls?.map { $0["id"] as? String } == [callID.uuidString])
            let carla = try await world.token("carla@demo.test")
            #expect(try await world.send(.GET, APIURL.call(callID).path, token: carla).status == .forbidden)
            #expect(try await world.send(.POST, APIURL.callFollowUp(callID).path, token: gus, raw: "{}").status == .forbidden)
            let hana = try await world.token("hana@demo.test")
            let suffolk = try world.json(try await world.send(.GET, APIURL.calls.path, token: hana))["calls"] as? [Any]
            #expect(suffolk?.isEmpty == true)

            let early = ISO8601DateFormatter().string(from: Date().addingTimeInterval(-3600))
            let tooEarly = try await world.send(
                .POST, APIURL.callFollowUp(callID).path, token: amy, raw: #"{"sentAt": "\#(early)"}"#)
            #expect(tooEarly.status == .unprocessableEntity)
            #expect(try world.error(tooEarly).field == "sentAt")
            let sent = try await world.send(.POST, APIURL.callFollowUp(callID).path, token: amy, raw: "{}")
            #expect(sent.status == .ok)
            #expect(try world.json(sent)["followUp"] as? String == "sent")
            let open = try world.json(try await world.send(.GET, APIURL.calls.path + "?open=true", token: amy))["calls"] as? [Any]
            #expect(open?.isEmpty == true)

            let actions = try await AuditEvent.query(on: world.app.db).filter(\.$childID == childID).all().map(\.action)
            #expect(actions.contains("record-safeguarding-call"))
            #expect(actions.contains("record-follow-up"))
        }
    }

    @Test func badCallsNameTheFieldAndStoreNothing() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let childID = try await world.registerChild(as: amy)
            let path = APIURL.safeguardingCalls(childID).path
            let blank = try await world.send(
                .POST, path, token: amy, raw: #"{"spokeTo": "", "advice": "continue-caf", "adviceNote": ""}"#)
            #expect(try world.error(blank).field == "spokeTo")
            let badAdvice = try await world.send(
                .POST, path, token: amy, raw: #"{"spokeTo": "A", "advice": "shrug", "adviceNote": "B"}"#)
            #expect(try world.error(badAdvice).field == "advice")
            let badDate = try await world.send(
                .POST, path, token: amy,
                raw: #"{"calledAt": "yesterday", "spokeTo": "A", "advice": "continue-caf", "adviceNote": "B"}"#)
            #expect(try world.error(badDate).field == "calledAt")
            let future = ISO8601DateFormatter().string(from: Date().addingTimeInterval(7200))
            let later = try await world.send(
                .POST, path, token: amy,
                raw: #"{"calledAt": "\#(future)", "spokeTo": "A", "advice": "continue-caf", "adviceNote": "B"}"#)
            #expect(try world.error(later).field == "calledAt")
            let otherEpisode = try await world.childWithEpisode(as: amy)
            let wrongEpisode = try await world.send(
                .POST, path, token: amy,
                raw:
                    #"{"spokeTo": "A", "advice": "continue-caf", "adviceNote": "B", "episodeId": "\#(otherEpisode.episodeID.uuidString)"}"#
            )
            #expect(try world.error(wrongEpisode).field == "episodeId")
            #expect(try await SafeguardingCall.query(on: world.app.db).count() == 0)
        }
    }

    @Test func overdueFollowUpsShowOnCallerAndCoordinatorWorktrays() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let childID = try await world.registerChild(as: amy)
            let old = ISO8601DateFormatter().string(from: Date().addingTimeInterval(-50 * 3600))
            _ = try await world.send(
                .POST, APIURL.safeguardingCalls(childID).path, token: amy,
                raw:
                    #"{"calledAt": "\#(old)", "spokeTo": "Duty worker", "advice": "social-care-lead", "adviceNote": "We will visit"}"#
            )
            for email in ["amy@demo.test", "erin@demo.test"] {
                let browser = PageTests.Browser(world)
                try await browser.signIn(email)
                let home = try await browser.get(SiteURL.home.path).body.string
                #expect(home.contains("Safeguarding follow-ups to send"), "\(email)")
                #expect(home.contains("Overdue"), "\(email)")
            }
            let ben = PageTests.Browser(world)
            try await ben.signIn("ben@demo.test")
            #expect(!(try await ben.get(SiteURL.home.path).body.string.contains("Safeguarding follow-ups")))
        }
    }
}
