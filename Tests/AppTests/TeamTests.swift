import CAFCore
import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

@Suite struct TeamTests {
    static func iso(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }

    @Test func meetingsAttendanceAndOneLeadAtATimeWithHandovers() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let created = try await world.childWithEpisode(as: amy)
            let episode = created.episodeID
            _ = try await world.send(.POST, APIURL.shares(episode).path, token: amy, json: ["practitionerEmail": "ben@demo.test"])
            let family = try await world.send(
                .POST, APIURL.familyMembers(episode).path, token: amy, json: ["name": "Sue Evans", "relationship": "Mother"])
            #expect(family.status == .created)

            let ben = try await world.token("ben@demo.test")
            let byBen = try await world.send(
                .POST, APIURL.meetings(episode).path, token: ben,
                raw: #"{"scheduledAt": "\#(Self.iso(Date()))", "place": "School"}"#)
            #expect(byBen.status == .forbidden)

            let planned = try await world.send(
                .POST, APIURL.meetings(episode).path, token: amy,
                raw: #"{"scheduledAt": "\#(Self.iso(Date().addingTimeInterval(-3600)))", "place": "Riverside, family room"}"#)
            #expect(planned.status == .created)
            let meeting = try world.json(planned)
            let meetingID = UUID(uuidString: meeting["id"] as! String)!
            let invitations = meeting["invitations"] as? [[String: Any]] ?? []
            #expect(invitations.count == 3)
            #expect(Set(invitations.map { $0["agencyType"] as? String ?? "family" }) == ["education", "health", "family"])

            let attendancePath = APIURL.meetingAttendance(episode: episode, meeting: meetingID).path
            let firstTwo = invitations.prefix(2).map { ["invitationId": $0["id"] as! String, "attendance": "attended"] }
            let partial = try await world.send(
                .PUT, attendancePath, token: amy, raw: try TestWorld.jsonText(["attendance": firstTwo]))
            #expect(partial.status == .unprocessableEntity)
            #expect(try world.error(partial).field?.hasPrefix("attendance.") == true)
            var all = firstTwo
            all.append(["invitationId": invitations[2]["id"] as! String, "attendance": "apologies"])
            let record = try TestWorld.jsonText(["attendance": all, "minutes": "Plan agreed"])
            #expect(try await world.send(.PUT, attendancePath, token: amy, raw: record).status == .preconditionRequired)
            let held = try await world.send(.PUT, attendancePath, token: amy, raw: record, headers: ["If-Match": #""1""#])
            #expect(held.status == .ok)
            #expect(try world.json(held)["held"] as? Bool == true)
            #expect(held.headers.first(name: .eTag) == #""2""#)

            // Issue 15: recorded again on the version already recorded over, nothing is saved.
            let stale = try await world.send(
                .PUT, attendancePath, token: amy,
                raw: try TestWorld.jsonText(["attendance": all, "minutes": "Written from notes at home"]),
                headers: ["If-Match": #""1""#])
            #expect(stale.status == .preconditionFailed)
            #expect(try world.error(stale).message.contains("Amy Clarke changed this meeting’s record"))
            #expect(try world.json(held)["minutes"] as? String == "Plan agreed")
            let page = PageTests.Browser(world)
            try await page.signIn("amy@demo.test")
            _ = try await page.get(SiteURL.meeting(meetingID).path)
            let resent = try await page.post(
                SiteURL.meeting(meetingID).path,
                [("version", "1"), ("minutes", "Typed in the meeting <b>")]
                    + invitations.map { ("attendance.\(($0["id"] as! String).lowercased())", "attended") })
            #expect(resent.status == .conflict)
            #expect(resent.body.string.contains("changed this meeting’s record"))
            #expect(resent.body.string.contains("Typed in the meeting &lt;b&gt;</textarea>"), "what was typed is kept")
            #expect(resent.body.string.contains("Plan agreed"), "with the record as it is now")
            let minutes = try await TACMeeting.find(meetingID, on: world.app.db)?.minutes
            #expect(minutes == "Plan agreed")

            // The coordinator sees a team that has met without a lead.
            let erinPage = PageTests.Browser(world)
            try await erinPage.signIn("erin@demo.test")
            #expect(try await erinPage.get(SiteURL.home.path).body.string.contains("no lead professional after a TAC meeting"))

            let lead = try await world.changeTeam(
                APIURL.leadProfessional(episode).path, token: amy,
                raw:
                    #"{"practitionerEmail": "ben@demo.test", "basis": "agreed-at-meeting", "meetingId": "\#(meetingID.uuidString)"}"#
            )
            #expect(lead.status == .created)
            #expect(try world.json(lead)["agencyType"] as? String == "health")
            #expect(!(try await erinPage.get(SiteURL.home.path).body.string.contains("no lead professional after a TAC meeting")))

            let noNote = try await world.changeTeam(
                APIURL.leadProfessional(episode).path, token: ben,
                raw:
                    #"{"practitionerEmail": "amy@demo.test", "basis": "agreed-at-meeting", "meetingId": "\#(meetingID.uuidString)"}"#
            )
            #expect(try world.error(noNote).field == "handoverNote")
            let notCoordinator = try await world.changeTeam(
                APIURL.leadProfessional(episode).path, token: ben,
                raw: #"{"practitionerEmail": "amy@demo.test", "basis": "assigned-by-coordinator", "handoverNote": "x"}"#)
            #expect(try world.error(notCoordinator).field == "basis")

            let erin = try await world.token("erin@demo.test")
            let outsideConsent = try await world.changeTeam(
                APIURL.leadProfessional(episode).path, token: erin,
                raw:
                    #"{"practitionerEmail": "dan@demo.test", "basis": "assigned-by-coordinator", "handoverNote": "Dan knows the family"}"#
            )
            #expect(try world.error(outsideConsent).field == "practitionerEmail")
            let assigned = try await world.changeTeam(
                APIURL.leadProfessional(episode).path, token: erin,
                raw:
                    #"{"practitionerEmail": "mia@demo.test", "basis": "assigned-by-coordinator", "handoverNote": "Mia manages the school team"}"#
            )
            #expect(assigned.status == .created)

            let team = try world.json(try await world.send(.GET, APIURL.team(episode).path, token: amy))
            let leads = team["leadProfessionals"] as? [[String: Any]] ?? []
            #expect(leads.count == 2)
            #expect(leads[0]["endedAt"] as? String != nil)
            #expect(leads[1]["endedAt"] == nil || leads[1]["endedAt"] is NSNull)
            #expect(try await LeadProfessionalTerm.query(on: world.app.db).filter(\.$endedAt == nil).count() == 1)
            // The new lead joined the team and reads the episode as its lead professional.
            let mia = try await world.token("mia@demo.test")
            #expect(
                try world.json(try await world.send(.GET, APIURL.episode(episode).path, token: mia))["access"] as? String
                    == "lead-professional")
            // Ben, no longer lead, is still a shared member.
            #expect(
                try world.json(try await world.send(.GET, APIURL.episode(episode).path, token: ben))["access"] as? String
                    == "shared")
        }
    }

    @Test func meetingsInTheFutureCannotBeRecordedAndLeadsNeedAHeldMeeting() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let created = try await world.childWithEpisode(as: amy)
            let planned = try await world.send(
                .POST, APIURL.meetings(created.episodeID).path, token: amy,
                raw: #"{"scheduledAt": "\#(Self.iso(Date().addingTimeInterval(7 * 86400)))", "place": "School"}"#)
            let meetingID = UUID(uuidString: try world.json(planned)["id"] as! String)!
            let early = try await world.send(
                .PUT, APIURL.meetingAttendance(episode: created.episodeID, meeting: meetingID).path, token: amy,
                raw: #"{"attendance": []}"#)
            #expect(try world.error(early).field == "meeting")
            let lead = try await world.changeTeam(
                APIURL.leadProfessional(created.episodeID).path, token: amy,
                raw:
                    #"{"practitionerEmail": "amy@demo.test", "basis": "agreed-at-meeting", "meetingId": "\#(meetingID.uuidString)"}"#
            )
            #expect(try world.error(lead).field == "meetingId")
            let blankPlace = try await world.send(
                .POST, APIURL.meetings(created.episodeID).path, token: amy,
                raw: #"{"scheduledAt": "\#(Self.iso(Date()))", "place": " "}"#)
            #expect(try world.error(blankPlace).field == "place")
            let stranger = try await world.send(
                .POST, APIURL.meetings(created.episodeID).path, token: amy,
                raw: #"{"scheduledAt": "\#(Self.iso(Date()))", "place": "School", "invitees": ["\#(UUID().uuidString)"]}"#)
            #expect(try world.error(stranger).field == "invitees")
        }
    }

    @Test func teamPagesPlanRecordAndAgreeALead() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let created = try await world.childWithEpisode(as: amy)
            let browser = PageTests.Browser(world)
            try await browser.signIn("amy@demo.test")
            _ = try await browser.get(SiteURL.team(created.episodeID).path)
            let family = try await browser.post(
                SiteURL.familyMembers(created.episodeID).path, [("name", "Sue Evans"), ("relationship", "")])
            #expect(family.status == .unprocessableEntity)
            #expect(family.body.string.contains(##"href="#relationship""##))
            #expect(family.body.string.contains(#"value="Sue Evans""#))
            _ = try await browser.post(
                SiteURL.familyMembers(created.episodeID).path, [("name", "Sue Evans"), ("relationship", "Mother")])
            let past = Format.londonParts(Date().addingTimeInterval(-7200))
            let team = try world.json(try await world.send(.GET, APIURL.team(created.episodeID).path, token: amy))
            let invitees =
                (team["practitioners"] as? [[String: Any]] ?? []).map { $0["id"] as! String }
                + (team["familyMembers"] as? [[String: Any]] ?? []).map { $0["id"] as! String }
            let planned = try await browser.post(
                SiteURL.meetings(created.episodeID).path,
                [
                    ("scheduledAt-day", past.day), ("scheduledAt-month", past.month), ("scheduledAt-year", past.year),
                    ("scheduledAtTime", past.time), ("place", "Family room"),
                ] + invitees.map { ("invitees[]", $0) })
            #expect(planned.body.string.contains("Meeting planned"))
            let meeting = try #require(try await TACMeeting.query(on: world.app.db).with(\.$invitations).first())
            _ = try await browser.get(SiteURL.meeting(meeting.id!).path)
            let recorded = try await browser.post(
                SiteURL.meeting(meeting.id!).path,
                meeting.invitations.map { ("attendance.\($0.id!.uuidString.lowercased())", "attended") } + [
                    ("version", "\(meeting.version)"), ("minutes", "Good start"),
                ])
            #expect(recorded.status == .seeOther)
            let page = try await browser.get(SiteURL.meeting(meeting.id!).path).body.string
            #expect(page.contains("Attended"))
            let lead = try await browser.post(
                SiteURL.leadProfessional(created.episodeID).path,
                [
                    ("practitionerId", try await world.signedIn("amy@demo.test").id.uuidString), ("basis", "agreed-at-meeting"),
                    ("meetingId", meeting.id!.uuidString),
                ])
            #expect(lead.body.string.contains("Lead professional saved"))
            #expect(lead.body.string.contains("Agreed at a TAC meeting"))
        }
    }
}
