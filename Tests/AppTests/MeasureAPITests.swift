import CAFCore
import Fluent
import Foundation
import SQLKit
import Testing
import VaporTesting

@testable import App

/// The measures over a small fixed history, against figures worked out by hand, on both
/// databases; who may see them; and disclosure control outside the owning LA.
@Suite struct MeasureAPITests {
    static func at(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }
    static let year2025 = "from=2025-01-01&to=2025-12-31"

    /// In Cambridgeshire during 2025:
    /// - A (amy, education): opened 1 Feb; assessed 11 Feb (10 days) and again 1 Jun, one
    ///   element down; met 20 Feb (19 days: Amy came, Ben sent apologies), when Amy became lead
    ///   until the closure (131 days); an action started 1 Mar (28
    ///   days), due 31 Mar, done 30 Mar; closed 1 Jul, needs met.
    /// - B (ben, health): opened 1 Mar; assessed 5 Mar (4 days); closed 1 Aug, stepped up;
    ///   social care accepted on 3 Aug.
    /// - C (amy, education): opened 1 Apr; assessed 21 Apr (20 days); still open.
    /// In Suffolk, D (hana, education): opened 1 May; assessed 3 May (2 days).
    func history(_ world: TestWorld) async throws {
        let db = world.app.db
        func practitioner(_ email: String) async throws -> Practitioner {
            try await Practitioner.query(on: db).filter(\.$email == email).with(\.$organisation).first()!
        }
        let amy = try await practitioner("amy@demo.test")
        let ben = try await practitioner("ben@demo.test")
        let hana = try await practitioner("hana@demo.test")
        func episode(_ author: Practitioner, opened: String, assessed: [(String, LevelOfNeed)]) async throws -> Episode {
            let childID = try await world.registerChild(as: try await world.token(author.email), givenName: "Child")
            let child = try await Child.find(childID, on: db)!
            let episode = Episode(
                childID: childID, localAuthorityID: child.$localAuthority.id, authorID: author.id!, openedAt: Self.at(opened))
            try await episode.create(on: db)
            for (version, (completed, level)) in assessed.enumerated() {
                let assessment = try Assessment(
                    episodeID: episode.id!, version: version + 1, authorID: author.id!,
                    content: AssessmentContent(elements: [.init(code: CAFForm.elements[0].code, level: level)]),
                    keys: try world.app.requireSecrets())
                assessment.status = .completed
                assessment.completedAt = Self.at(completed)
                try await assessment.create(on: db)
            }
            return episode
        }
        let a = try await episode(
            amy, opened: "2025-02-01T09:00:00Z",
            assessed: [("2025-02-11T15:00:00Z", .additional), ("2025-06-01T09:00:00Z", .universal)])
        let meeting = TACMeeting(
            episodeID: a.id!, plan: MeetingPlan(scheduledAt: Self.at("2025-02-20T10:00:00Z"), place: "School"),
            createdByID: amy.id!)
        meeting.held = true
        try await meeting.create(on: db)
        for (invitee, came) in [(amy, Attendance.attended), (ben, .apologies)] {
            let invitation = TACInvitation(meetingID: meeting.id!, practitioner: invitee)
            invitation.attendance = came
            try await invitation.create(on: db)
        }
        try await LeadProfessionalTerm(
            episodeID: a.id!, practitioner: amy, change: .init(basis: .agreedAtMeeting, handoverNote: ""), meetingID: meeting.id,
            assignedByID: amy.id!, at: Self.at("2025-02-20T11:00:00Z")
        ).create(on: db)
        // Amy wrote the first assessment in 30 active minutes, and spent 20 minutes on calls.
        let first = try await Assessment.query(on: db).filter(\.$episode.$id == a.id!).filter(\.$version == 1).first()!
        let writing = EditingSession(
            episodeID: a.id!, practitionerID: amy.id!, activity: .assessmentWriting, assessmentID: first.id,
            at: Self.at("2025-02-10T10:00:00Z"))
        writing.activeSeconds = 1800
        try await writing.create(on: db)
        try await TimeRecord(episodeID: a.id!, practitionerID: amy.id!, activity: .calls, minutes: 20, on: "2025-03-10")
            .create(on: db)
        let action = PlanAction(
            episodeID: a.id!,
            planned: .init(
                description: "Reading support", elementCodes: [], ownerEmail: "", ownerAgency: "School", dueOn: "2025-03-31"),
            ownerID: amy.id!, createdByID: amy.id!)
        action.status = .done
        action.startedAt = Self.at("2025-03-01T09:00:00Z")
        action.completedAt = Self.at("2025-03-30T09:00:00Z")
        try await action.create(on: db)
        a.status = .closed
        a.closedAt = Self.at("2025-07-01T09:00:00Z")
        a.closureReason = .needsMet
        try await a.save(on: db)

        let b = try await episode(ben, opened: "2025-03-01T09:00:00Z", assessed: [("2025-03-05T09:00:00Z", .complex)])
        b.status = .closed
        b.closedAt = Self.at("2025-08-01T09:00:00Z")
        b.closureReason = .stepUp
        try await b.save(on: db)
        let referral = Referral(
            episode: b, referredByID: ben.id!, note: "Needs a social worker", at: Self.at("2025-08-01T09:00:00Z"))
        referral.decision = .accepted
        referral.decidedAt = Self.at("2025-08-03T09:00:00Z")
        try await referral.create(on: db)

        _ = try await episode(amy, opened: "2025-04-01T09:00:00Z", assessed: [("2025-04-21T09:00:00Z", .additional)])
        _ = try await episode(hana, opened: "2025-05-01T09:00:00Z", assessed: [("2025-05-03T09:00:00Z", .additional)])
    }

    func measures(_ world: TestWorld, as email: String, _ query: String = year2025) async throws -> TestingHTTPResponse {
        try await world.send(.GET, APIURL.measures.path + "?" + query, token: try await world.token(email))
    }

    /// Each table's rows as label → cell texts.
    func tables(_ response: TestingHTTPResponse, _ world: TestWorld) throws -> [String: [String: [String]]] {
        var tables: [String: [String: [String]]] = [:]
        for table in try world.json(response)["tables"] as! [[String: Any]] {
            var rows: [String: [String]] = [:]
            for row in table["rows"] as! [[String: Any]] {
                rows[row["label"] as! String] = (row["cells"] as! [[String: Any]]).map { $0["text"] as! String }
            }
            tables[table["measure"] as! String] = rows
        }
        return tables
    }

    @Test func aCoordinatorSeesTheirLAsFiguresWorkedOutByHand() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            try await history(world)
            let response = try await measures(world, as: "erin@demo.test")
            #expect(response.status == .ok)
            #expect(try world.json(response)["disclosureControlled"] as? Bool == false)
            let t = try tables(response, world)
            #expect(t.count == Measure.allCases.count)
            #expect(
                t["time-to-assessment"] == [
                    "Education": ["2", "15", "20"], "Health": ["1", "4", "4"], "All": ["3", "10", "20"],
                ])
            #expect(t["time-to-team"] == ["Education": ["1", "19", "19"], "All": ["1", "19", "19"]])
            #expect(t["time-to-lead"] == ["Education": ["1", "19", "19"], "All": ["1", "19", "19"]])
            #expect(t["time-to-help"] == ["Education": ["1", "28", "28"], "All": ["1", "28", "28"]])
            #expect(t["closure-outcomes"]?[ClosureReason.needsMet.title] == ["1", "50%"])
            #expect(t["closure-outcomes"]?[ClosureReason.stepUp.title] == ["1", "50%"])
            #expect(t["closure-outcomes"]?["All"] == ["2", "100%"])
            #expect(t["needs-met"] == ["Education": ["1", "1", "100%"], "Health": ["1", "0", "0%"], "All": ["2", "1", "50%"]])
            #expect(t["step-up"]?["All"] == ["2", "1", "50%", "1", "1", "100%"])
            #expect(t["re-referral"]?["All"] == ["2", "0", "0%"])
            #expect(t["need-change"]?["All elements"] == ["1", "0", "0", "100%"])
            #expect(t["actions-delivered"] == ["Education": ["1", "1", "100%", "0"], "All": ["1", "1", "100%", "0"]])
            #expect(t["checklist-outcomes"]?["All"] == ["0", ""])
            #expect(t["lead-professional-share"] == ["Education": ["1", "131", "100%"], "All": ["1", "131", "100%"]])
            #expect(
                t["attendance"] == [
                    "Education": ["1", "1", "0", "0", "100%"], "Health": ["1", "0", "1", "0", "0%"],
                    "All": ["2", "1", "1", "0", "50%"],
                ])
            // Nothing is led at the end of 2025; Amy completed three assessments, Ben one.
            #expect(
                t["caseload"] == [
                    "Open CAFs led, at the end of the period": ["0", "", ""],
                    "Assessments completed in the period": ["2", "2", "3"],
                ])
            #expect(t["duplication-avoided"] == ["All": ["0", "0", ""]])
            #expect(
                t["practitioner-time"] == [
                    "Education": ["1", "30", "0", "20", "0", "0", "50"], "All": ["1", "30", "0", "20", "0", "0", "50"],
                ])
            // Only the assessment written on the form was timed.
            #expect(t["assessment-writing-time"] == ["Education": ["1", "30", "30"], "All": ["1", "30", "30"]])

            // A narrower period leaves out what fell outside it.
            let spring = try tables(try await measures(world, as: "erin@demo.test", "from=2025-03-01&to=2025-04-30"), world)
            #expect(spring["time-to-assessment"]?["All"] == ["2", "12", "20"])
            // A's latest assessment came on 1 June: its change in need counts in June, not in spring.
            #expect(spring["need-change"]?["All elements"] == ["0", "0", "0", ""])
            let june = try tables(try await measures(world, as: "erin@demo.test", "from=2025-06-01&to=2025-06-30"), world)
            #expect(june["need-change"]?["All elements"] == ["1", "0", "0", "100%"])
            // After A closed on 1 July: only B's closure and step-up; nothing else happened.
            let autumn = try tables(try await measures(world, as: "erin@demo.test", "from=2025-07-02&to=2025-12-31"), world)
            #expect(autumn["closure-outcomes"]?["All"] == ["1", "100%"])
            #expect(autumn["step-up"]?["All"] == ["1", "1", "100%", "1", "1", "100%"])
            #expect(autumn["lead-professional-share"]?["All"] == ["0", "0", ""])
            #expect(autumn["attendance"]?["All"] == ["0", "0", "0", "0", ""])
            #expect(autumn["caseload"]?["Assessments completed in the period"] == ["0", "", ""])
            // March, to its last day: the action due on the 31st and the call on the 10th.
            let march = try tables(try await measures(world, as: "erin@demo.test", "from=2025-03-01&to=2025-03-31"), world)
            #expect(march["actions-delivered"]?["All"] == ["1", "1", "100%", "0"])
            #expect(march["practitioner-time"]?["All"] == ["1", "0", "0", "20", "0", "0", "20"])
            #expect(march["lead-professional-share"]?["All"] == ["1", "31", "100%"])
            // Amy led A at the end of March; Ben completed B's assessment in it. Asked alone,
            // caseload reads only what it counts, to the same figures.
            #expect(march["caseload"]?["Open CAFs led, at the end of the period"] == ["1", "1", "1"])
            #expect(march["caseload"]?["Assessments completed in the period"] == ["1", "1", "1"])
            let caseload = try await world.send(
                .GET, APIURL.measure(.caseload).path + "?from=2025-03-01&to=2025-03-31",
                token: try await world.token("erin@demo.test"))
            #expect(try tables(caseload, world)["caseload"] == march["caseload"])
            // One measure on its own, filtered by agency type.
            let one = try await world.send(
                .GET, APIURL.measure(.timeToAssessment).path + "?\(Self.year2025)&agencyType=health",
                token: try await world.token("erin@demo.test"))
            #expect(try tables(one, world) == ["time-to-assessment": ["Health": ["1", "4", "4"], "All": ["1", "4", "4"]]])
            // Asked alone, writing time reads only assessments with editing measured: the same figures.
            let writing = try await world.send(
                .GET, APIURL.measure(.assessmentWritingTime).path + "?\(Self.year2025)",
                token: try await world.token("erin@demo.test"))
            #expect(try tables(writing, world)["assessment-writing-time"] == t["assessment-writing-time"])
        }
    }

    /// A's child comes back within twelve months of A's closure, B's child after more than twelve.
    @Test func aNewCAFWithinTwelveMonthsOfAClosureIsAReReferral() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            try await history(world)
            let db = world.app.db
            for (reason, reopened) in [(ClosureReason.needsMet, "2026-06-30T09:00:00Z"), (.stepUp, "2026-08-02T09:00:00Z")] {
                let closed = try await Episode.query(on: db).filter(\.$closureReason == reason).first()!
                try await Episode(
                    childID: closed.$child.id, localAuthorityID: closed.$localAuthority.id, authorID: closed.$author.id,
                    openedAt: Self.at(reopened)
                ).create(on: db)
            }
            let t = try tables(try await measures(world, as: "erin@demo.test"), world)
            #expect(
                t["re-referral"] == ["Education": ["1", "1", "100%"], "Health": ["1", "0", "0%"], "All": ["2", "1", "50%"]])
        }
    }

    /// Amy's checklist found B's CAF and she joined its team; Ben's found A's and he did not;
    /// Amy's third found none. Each measure asked alone gives the dashboard's figures.
    @Test func checklistsCountWhatTheyDecidedAndWhoJoinedTheCAFTheyFound() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            try await history(world)
            let db = world.app.db
            let a = try await Episode.query(on: db).filter(\.$closureReason == .needsMet).first()!
            let b = try await Episode.query(on: db).filter(\.$closureReason == .stepUp).first()!
            let amy = try await Practitioner.query(on: db).filter(\.$email == "amy@demo.test").first()!
            let ben = try await Practitioner.query(on: db).filter(\.$email == "ben@demo.test").first()!
            let answers = ChecklistAnswers(
                harmConcern: false, worriedOutcomes: [.stayingSafe], familyAskedForHelp: true, ownServiceCanMeet: false,
                needsUnclearOrBroad: true, reason: "Worried")
            for (who, found, day) in [(amy, b, "2025-03-10"), (ben, a, "2025-03-11"), (amy, nil, "2025-05-01")] {
                let checklist = try PreAssessment(
                    childID: (found ?? a).$child.id, practitionerID: who.id!, localAuthorityID: a.$localAuthority.id,
                    answers: answers, existingEpisodeID: found?.id, keys: try world.app.requireSecrets())
                checklist.recordedAt = Self.at("\(day)T10:00:00Z")
                try await checklist.create(on: db)
            }
            try await EpisodeShare(
                episodeID: b.id!, practitionerID: amy.id!, sharedByID: ben.id!, sharedAt: Self.at("2025-03-12T10:00:00Z")
            ).create(on: db)
            let t = try tables(try await measures(world, as: "erin@demo.test"), world)
            #expect(t["checklist-outcomes"]?[answers.decision.title] == ["3", "100%"])
            #expect(t["checklist-outcomes"]?["All"] == ["3", "100%"])
            #expect(
                t["duplication-avoided"] == [
                    "Education": ["1", "1", "100%"], "Health": ["1", "0", "0%"], "All": ["2", "1", "50%"],
                ])
            for measure in [Measure.checklistOutcomes, .duplicationAvoided] {
                let alone = try await world.send(
                    .GET, APIURL.measure(measure).path + "?\(Self.year2025)", token: try await world.token("erin@demo.test"))
                #expect(try tables(alone, world)[measure.rawValue] == t[measure.rawValue])
            }
        }
    }

    /// Each episode's first times follow every write of its records, and are worked out afresh
    /// for episodes stored before they were kept.
    @Test func episodeMilestonesFollowEveryWrite() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            try await history(world)
            let db = world.app.db
            let sql = db as! any SQLDatabase
            let a = try await Episode.query(on: db).filter(\.$closureReason == .needsMet).first()!
            let columns = ["first_assessed_at", "first_meeting_at", "first_action_at", "first_lead_at"]
            func milestones() async throws -> [Date?] {
                let row = try await sql.raw(
                    "SELECT \(unsafeRaw: columns.joined(separator: ", ")) FROM episodes WHERE id = \(bind: a.id!)"
                ).first()!
                return try columns.map { try row.decode(column: $0, as: Date?.self) }
            }
            let expected = [
                "2025-02-11T15:00:00Z", "2025-02-20T10:00:00Z", "2025-03-01T09:00:00Z", "2025-02-20T11:00:00Z",
            ].map(Self.at)
            #expect(try await milestones() == expected)
            // The action goes back to planned: nothing has been started.
            let action = try await PlanAction.query(on: db).filter(\.$episode.$id == a.id!).first()!
            action.status = .planned
            try await action.save(on: db)
            #expect(try await milestones()[2] == nil)
            action.status = .done
            try await action.save(on: db)
            #expect(try await milestones()[2] == expected[2])
            try await action.delete(on: db)
            #expect(try await milestones()[2] == nil)
            // A meeting held earlier than the first becomes the first, once it is held.
            let earlier = TACMeeting(
                episodeID: a.id!, plan: MeetingPlan(scheduledAt: Self.at("2025-02-15T10:00:00Z"), place: "Home"),
                createdByID: a.$author.id)
            try await earlier.create(on: db)
            #expect(try await milestones()[1] == expected[1])
            earlier.held = true
            try await earlier.save(on: db)
            let heldEarlier = Self.at("2025-02-15T10:00:00Z")
            #expect(try await milestones()[1] == heldEarlier)
            // Worked out afresh from the records.
            try await sql.raw("UPDATE episodes SET \(unsafeRaw: columns.map { "\($0) = NULL" }.joined(separator: ", "))").run()
            #expect(try await milestones() == [nil, nil, nil, nil])
            try await MilestoneTriggers.fill(on: sql)
            #expect(try await milestones() == [expected[0], heldEarlier, nil, expected[3]])
        }
    }

    /// Assessments stored before their levels were kept beside the content get them from it.
    @Test func existingAssessmentsGetTheirLevelsFromTheirContent() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            try await history(world)
            let sql = world.app.db as! any SQLDatabase
            let needChange = { try self.tables(try await self.measures(world, as: "erin@demo.test"), world)["need-change"] }
            let before = try await needChange()
            #expect(before?["All elements"] == ["1", "0", "0", "100%"])
            // As stored then: in clear, for sealing came later (and runs after migrations).
            let keys = try world.app.requireSecrets()
            var levels: [UUID: String] = [:]
            for assessment in try await Assessment.query(on: world.app.db).all() {
                let content = try assessment.content(keys)
                levels[assessment.id!] = content.levelsText
                let json = String(decoding: try JSONEncoder().encode(content), as: UTF8.self)
                try await sql.raw("UPDATE assessments SET content = \(bind: json) WHERE id = \(bind: assessment.id!)").run()
            }
            try await sql.raw("UPDATE assessments SET levels = ''").run()
            #expect(try await needChange()?["All elements"] == ["0", "0", "0", ""])
            try await AddAssessmentLevels.fill(on: sql)
            let assessments = try await Assessment.query(on: world.app.db).all()
            #expect(assessments.count == 5)
            for assessment in assessments {
                #expect(!assessment.levels.isEmpty)
                #expect(assessment.levels == levels[assessment.id!])
            }
            #expect(try await needChange() == before)
        }
    }

    @Test func managersSeeTheirOrganisationAndOthersNothing() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            try await history(world)
            let mia = try tables(try await measures(world, as: "mia@demo.test"), world)
            #expect(mia["time-to-assessment"]?["All"] == ["2", "15", "20"])
            for email in ["amy@demo.test", "gus@demo.test", "fay@demo.test"] {
                #expect(try await measures(world, as: email).status == .forbidden, "\(email)")
            }
            let suffolk = try await LocalAuthority.query(on: world.app.db).filter(\.$name == "Suffolk").first()!
            #expect(
                try await measures(world, as: "erin@demo.test", "\(Self.year2025)&localAuthorityId=\(suffolk.id!)").status
                    == .forbidden)
            let bad = try await measures(world, as: "erin@demo.test", "from=2025-13-01&agencyType=wizards")
            #expect(bad.status == .unprocessableEntity)
            #expect(try world.error(bad).field == "from")
            let long = try await measures(world, as: "erin@demo.test", "from=2010-01-01&to=2025-12-31")
            #expect(long.status == .unprocessableEntity)
            #expect(try world.error(long).message == "The period can be at most 10 years long")
            #expect(try await measures(world, as: "erin@demo.test", "from=2016-01-01&to=2025-12-31").status == .ok)
            #expect(
                try await world.send(.GET, "/api/v1/measures/happiness", token: try await world.token("erin@demo.test")).status
                    == .notFound)
        }
    }

    @Test func nationalFiguresHideSmallCountsAndWhatWouldGiveThemAway() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            try await history(world)
            let response = try await measures(world, as: "nat@demo.test")
            #expect(try world.json(response)["disclosureControlled"] as? Bool == true)
            let t = try tables(response, world)
            // Every count here is under 5: all hidden, and the medians resting on them too.
            #expect(
                t["time-to-assessment"] == [
                    "Cambridgeshire": ["<5", "*", "*"], "Suffolk": ["<5", "*", "*"], "All": ["<5", "*", "*"],
                ])
            #expect(t["closure-outcomes"]?["All"] == ["<5", "*"])
            let json = String(buffer: response.body)
            for secret in ["Child", "Reading support", "Amy", "Needs a social worker"] {
                #expect(!json.contains(secret), "\(secret)")
            }
        }
    }
}
