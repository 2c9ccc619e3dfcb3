import CAFCore
import Foundation
import Testing

/// Measure arithmetic and disclosure control, against values worked out by hand.
@Suite struct MeasureTests {
    static func at(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }
    static let year2026 = MeasurePeriod(from: at("2026-01-01T00:00:00Z"), to: at("2027-01-01T00:00:00Z"))

    @Test func mediansAndNinetiethPercentilesByNearestRank() {
        func figures(_ values: [Int]) -> [Double?] {
            let d = Distribution(values)
            return [Double(d.count), d.median, d.p90]
        }
        #expect(figures([3, 1, 2]) == [3, 2, 3])
        #expect(figures([4, 1, 3, 2]) == [4, 2.5, 4])
        #expect(figures(Array(1...10)) == [10, 5.5, 9])
        #expect(figures(Array(1...20)) == [20, 10.5, 18])
        #expect(figures([]) == [0, nil, nil])
    }

    @Test func daysAreCalendarDaysInEngland() {
        #expect(CalendarDays.between(Self.at("2026-11-23T23:50:00Z"), Self.at("2026-11-24T00:10:00Z")) == 1)
        #expect(CalendarDays.between(Self.at("2026-11-23T00:10:00Z"), Self.at("2026-11-23T23:50:00Z")) == 0)
        // 23:00 and 00:30 British Summer Time: the second is the next day in England.
        #expect(CalendarDays.between(Self.at("2026-06-01T22:00:00Z"), Self.at("2026-06-01T23:30:00Z")) == 1)
        #expect(CalendarDays.endOf("2026-03-31") == Self.at("2026-03-31T23:00:00Z"))
        #expect(CalendarDays.day(of: Self.at("2026-06-01T23:30:00Z")) == "2026-06-02")
        #expect(CalendarDays.day(of: Self.at("2026-11-23T23:30:00Z")) == "2026-11-23")
    }

    /// The day arithmetic agrees with Foundation's calendar for England moment by moment
    /// over three years, through every change of the clocks and a leap day.
    @Test func dayArithmeticAgreesWithTheCalendar() {
        let calendar = CalendarDays.calendar
        // Half past midnight on the day the clocks went back.
        let origin = Self.at("2023-10-29T00:30:00Z")
        for step in 0..<5_400 {
            let moment = Self.at("2024-01-01T00:00:00Z") + Double(step) * 293 * 60
            let c = calendar.dateComponents([.year, .month, .day], from: moment)
            let day = String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
            #expect(CalendarDays.day(of: moment) == day)
            #expect(CalendarDays.startOf(day) == calendar.startOfDay(for: moment))
            #expect(CalendarDays.endOf(day) == calendar.date(byAdding: .day, value: 1, to: calendar.startOfDay(for: moment)))
            let days = calendar.dateComponents(
                [.day], from: calendar.startOfDay(for: origin), to: calendar.startOfDay(for: moment)
            ).day!
            #expect(CalendarDays.between(origin, moment) == days)
        }
        // The days of a period across the clocks going forward.
        let spring = MeasurePeriod(from: CalendarDays.startOf("2026-03-28")!, to: CalendarDays.endOf("2026-03-30")!)
        #expect(spring.days == ["2026-03-28", "2026-03-29", "2026-03-30"])
        #expect(CalendarDate.parse("2024-02-29") != nil)
        #expect(CalendarDate.parse("2023-02-29") == nil)
        #expect(CalendarDate.parse("1900-02-29") == nil)
        #expect(CalendarDate.parse("2000-02-29") != nil)
        #expect(CalendarDate.parse("2026-04-31") == nil)
        #expect(CalendarDate.parse("2026-13-01") == nil)
        #expect(CalendarDate.parse("2026-00-10") == nil)
        #expect(CalendarDate.iso(Self.at("2026-06-01T23:30:00Z")) == "2026-06-01")
    }

    func table(_ counts: [Int], total: Int) -> MeasureTable {
        MeasureTable(
            .closureOutcomes, rowHeading: "Reason",
            columns: [.init("Count", .count), .init("Share", .percent, basis: 0)],
            rows: counts.enumerated().map {
                .init("r\($0.offset)", [.count($0.element), MeasureTable.share($0.element, of: total)])
            }
                + [.init("All", [.count(total), .percent(100)], isTotal: true)])
    }

    func shown(_ table: MeasureTable, column: Int = 0) -> [String] { table.rows.map { $0.cells[column].text } }

    @Test func smallCountsAreHiddenWithASecondCellSoTotalsGiveNothingAway() {
        // 3 is small; with the total shown, 25 - 10 - 12 would give it away: 10 goes too.
        let protected = Disclosure.protect(table([3, 10, 12], total: 25))
        #expect(shown(protected) == ["<5", "*", "12", "25"])
        #expect(shown(protected, column: 1) == ["*", "*", "48%", "100%"])
        // Zeros give nothing away and are not picked; the next smallest count is.
        #expect(shown(Disclosure.protect(table([0, 3, 20, 40], total: 63))) == ["0", "<5", "*", "40", "63"])
        // Two small counts hide each other.
        #expect(shown(Disclosure.protect(table([2, 4, 30], total: 36))) == ["<5", "<5", "30", "36"])
        // A small count that is the whole column hides the total with it.
        #expect(shown(Disclosure.protect(table([3, 0], total: 3))) == ["<5", "0", "<5"])
        // Only the total is left to hide when the other counts are zero: [0, 0, 7] shows no small cell.
        #expect(shown(Disclosure.protect(table([0, 7], total: 7))) == ["0", "7", "7"])
        // Nothing small, nothing hidden.
        #expect(shown(Disclosure.protect(table([5, 9], total: 14))) == ["5", "9", "14"])
    }

    @Test func partsOfAWholeAreProtectedAcrossTheRowToo() {
        let attendance = MeasureTable(
            .closureOutcomes, rowHeading: "Agency type",
            columns: [.init("Attended", .count), .init("Apologies", .count), .init("Did not attend", .count)],
            rows: [
                .init("Health", [.count(20), .count(2), .count(9)]), .init("Police", [.count(30), .count(8), .count(6)]),
                .init("All", [.count(50), .count(10), .count(15)], isTotal: true),
            ], partsOfWhole: true)
        let protected = Disclosure.protect(attendance)
        // 2 is small. Its row hides 9 (the smallest other); its column hides 8; 8's row then
        // hides 6, and 9's and 6's column now has two hidden: every line has 0 or 2+ hidden.
        #expect(protected.rows.map { $0.cells.map(\.text) } == [["20", "<5", "*"], ["30", "*", "*"], ["50", "10", "15"]])
    }

    func episode(_ group: String, opened: String, child: UUID = UUID()) -> EpisodeHistory {
        EpisodeHistory(childID: child, group: group, openedAt: Self.at(opened))
    }

    @Test func timeToAssessmentCountsFirstAssessmentsCompletedInThePeriod() {
        var inputs = MeasureInputs(period: Self.year2026, now: Self.at("2026-12-31T12:00:00Z"), groupHeading: "Agency type")
        var a = episode("Education", opened: "2026-02-01T09:00:00Z")
        a.firstAssessmentCompletedAt = Self.at("2026-02-11T15:00:00Z")  // 10 days
        var b = episode("Education", opened: "2026-03-01T09:00:00Z")
        b.firstAssessmentCompletedAt = Self.at("2026-03-21T09:00:00Z")  // 20 days
        var c = episode("Health", opened: "2026-04-01T09:00:00Z")
        c.firstAssessmentCompletedAt = Self.at("2026-04-06T09:00:00Z")  // 5 days
        var d = episode("Health", opened: "2025-11-01T09:00:00Z")
        d.firstAssessmentCompletedAt = Self.at("2025-12-01T09:00:00Z")  // before the period
        let e = episode("Health", opened: "2026-05-01T09:00:00Z")  // not yet assessed
        inputs.episodes = [a, b, c, d, e]
        let table = inputs.table(.timeToAssessment)
        #expect(table.rows.map(\.label) == ["Education", "Health", "All"])
        #expect(table.rows.map { $0.cells.map(\.text) } == [["2", "15", "20"], ["1", "5", "5"], ["3", "10", "20"]])
        #expect(table.rows.last?.isTotal == true)
    }

    @Test func closuresNeedsMetAndReReferral() {
        var inputs = MeasureInputs(period: Self.year2026, now: Self.at("2026-12-31T12:00:00Z"), groupHeading: "Agency type")
        let returning = UUID()
        func closed(_ group: String, _ reason: ClosureReason, on day: String, child: UUID = UUID()) -> EpisodeHistory {
            var e = episode(group, opened: "2025-06-01T09:00:00Z", child: child)
            e.closedAt = Self.at(day)
            e.closureReason = reason
            return e
        }
        inputs.episodes = [
            closed("Education", .needsMet, on: "2026-01-10T10:00:00Z", child: returning),
            closed("Education", .singleService, on: "2026-02-01T10:00:00Z"),
            closed("Health", .stepUp, on: "2026-03-01T10:00:00Z"),
            closed("Health", .disengaged, on: "2025-12-01T10:00:00Z"),  // before the period
        ]
        inputs.openings = [returning: [Self.at("2025-06-01T09:00:00Z"), Self.at("2026-06-01T09:00:00Z")]]
        let outcomes = inputs.table(.closureOutcomes)
        #expect(outcomes.rows.map(\.label).first == ClosureReason.needsMet.title)
        #expect(outcomes.rows.map { $0.cells[0].text } == ["1", "1", "1", "0", "0", "0", "0", "3"])
        #expect(outcomes.rows.map { $0.cells[1].text } == ["33%", "33%", "33%", "0%", "0%", "0%", "0%", "100%"])
        #expect(
            inputs.table(.needsMet).rows.map { $0.cells.map(\.text) } == [
                ["2", "2", "100%"], ["1", "0", "0%"], ["3", "2", "67%"],
            ])
        #expect(inputs.table(.reReferral).rows.map { $0.cells[1].text } == ["1", "0", "1"])
        inputs.referrals = [
            .init(group: "Health", decidedAt: Self.at("2026-03-05T10:00:00Z"), decision: .accepted),
            .init(group: "Health", decidedAt: Self.at("2026-04-05T10:00:00Z"), decision: .returned),
            .init(group: "Health", decidedAt: nil, decision: .pending),
        ]
        #expect(
            inputs.table(.stepUp).rows.map { $0.cells.map(\.text) } == [
                ["2", "0", "0%", "0", "0", ""], ["1", "1", "100%", "2", "1", "50%"], ["3", "1", "33%", "2", "1", "50%"],
            ])
    }

    @Test func followUpsAndActionsAreJudgedOnTheirDueTimes() {
        var inputs = MeasureInputs(period: Self.year2026, now: Self.at("2026-06-30T12:00:00Z"), groupHeading: "Agency type")
        let called = Self.at("2026-05-01T10:00:00Z")
        let due = Self.at("2026-05-03T10:00:00Z")
        inputs.calls = [
            .init(group: "Police", calledAt: called, followUpDue: due, followUpSentAt: Self.at("2026-05-02T09:00:00Z")),
            .init(group: "Police", calledAt: called, followUpDue: due, followUpSentAt: Self.at("2026-05-05T09:00:00Z")),
            .init(group: "Police", calledAt: called, followUpDue: due, followUpSentAt: nil),
        ]
        #expect(inputs.table(.safeguardingFollowUp).rows.last?.cells.map(\.text) == ["3", "2", "2.5", "4", "2", "67%"])
        // As the database counts them: by due day and status, with how many were done by the
        // due day's end (`ActionHistory.dueBy`, tested in ActionPlanTests).
        inputs.actions = [
            .init(group: "Health", dueOn: "2026-03-31", status: .done, count: 1, completedByDue: 1),
            .init(group: "Health", dueOn: "2026-03-15", status: .done, count: 1, completedByDue: 0),
            .init(group: "Health", dueOn: "2026-03-20", status: .planned, count: 1, completedByDue: 0),
            .init(group: "Health", dueOn: "2026-03-21", status: .notDone, count: 1, completedByDue: 0),
            .init(group: "Health", dueOn: "2026-07-21", status: .inProgress, count: 1, completedByDue: 0),
            .init(group: "Health", dueOn: "2025-12-31", status: .planned, count: 1, completedByDue: 0),
        ]
        #expect(inputs.table(.actionsDelivered).rows.last?.cells.map(\.text) == ["5", "1", "20%", "1"])
    }

    @Test func needChangeComparesTheFirstAssessmentWithTheLatest() throws {
        let codes = CAFForm.elements.map(\.code)
        // The first three elements go down, stay the same and go up.
        let first = AssessmentContent(elements: [
            .init(code: codes[0], level: .additional), .init(code: codes[1], level: .additional),
            .init(code: codes[2], level: .universal),
        ])
        let latest = AssessmentContent(elements: [
            .init(code: codes[0], level: .universal), .init(code: codes[1], level: .additional),
            .init(code: codes[2], level: .complex),
        ])
        var inputs = MeasureInputs(period: Self.year2026, now: Self.at("2026-12-31T12:00:00Z"), groupHeading: "Agency type")
        var e = episode("Health", opened: "2026-01-05T09:00:00Z")
        e.levelChanges = LevelComparison(from: first, to: latest).rows.map(\.change)
        e.latestAssessmentCompletedAt = Self.at("2026-06-01T09:00:00Z")
        inputs.episodes = [e]
        let table = inputs.table(.needChange)
        let total = try #require(table.rows.last)
        #expect(total.label == "All elements")
        #expect(total.cells.map(\.text) == ["1", "1", "1", "33%"])
        let byElement = Dictionary(uniqueKeysWithValues: table.rows.map { ($0.label, $0.cells.map(\.text)) })
        #expect(byElement[CAFForm.elements[0].name] == ["1", "0", "0", "100%"])
        #expect(byElement[CAFForm.elements[3].name] == ["0", "0", "0", ""])
    }

    /// Invitations come one by one or counted together by the database; both add up alike.
    @Test func attendanceAddsUpInvitationsCountedTogether() {
        var inputs = MeasureInputs(period: Self.year2026, now: Self.at("2026-12-31T12:00:00Z"), groupHeading: "Agency type")
        inputs.invitations = [
            .init(agency: .education, heldAt: Self.at("2026-01-10T10:00:00Z"), attendance: .attended, count: 3),
            .init(agency: .education, heldAt: Self.at("2026-02-10T10:00:00Z"), attendance: .didNotAttend),
            .init(agency: nil, heldAt: Self.at("2026-03-10T10:00:00Z"), attendance: .attended, count: 2),
            .init(agency: .health, heldAt: Self.at("2025-06-10T10:00:00Z"), attendance: .attended, count: 4),  // before
        ]
        #expect(
            inputs.table(.attendance).rows.map { [$0.label] + $0.cells.map(\.text) } == [
                ["Education", "4", "3", "0", "1", "75%"], ["Family members", "2", "2", "0", "0", "100%"],
                ["All", "6", "5", "0", "1", "83%"],
            ])
    }

    @Test func burdenByAgencyTypeCaseloadAndDuplication() {
        var inputs = MeasureInputs(period: Self.year2026, now: Self.at("2026-07-01T00:00:00Z"), groupHeading: "Agency type")
        let sam = UUID()
        let kim = UUID()
        inputs.leadTerms = [
            // 10 days in 2025, 31 in January 2026.
            .init(
                practitionerID: sam, agency: .education, startedAt: Self.at("2025-12-22T00:00:00Z"),
                endedAt: Self.at("2026-02-01T00:00:00Z")),
            // Still leading: counted to now, 1 June to 1 July = 30 days.
            .init(practitionerID: kim, agency: .health, startedAt: Self.at("2026-06-01T00:00:00Z"), endedAt: nil),
            .init(practitionerID: kim, agency: .health, startedAt: Self.at("2026-06-20T00:00:00Z"), endedAt: nil),
        ]
        #expect(
            inputs.table(.leadProfessionalShare).rows.map { $0.cells.map(\.text) } == [
                ["1", "31", "43%"], ["2", "41", "57%"], ["3", "72", "100%"],
            ])
        // At the end (now): Kim leads two, Sam none.
        inputs.completions = [
            .init(practitionerID: sam, group: "Education", completedAt: Self.at("2026-03-01T00:00:00Z"), writingMinutes: 40),
            .init(practitionerID: sam, group: "Education", completedAt: Self.at("2026-04-01T00:00:00Z"), writingMinutes: 61.4),
            .init(practitionerID: kim, group: "Health", completedAt: Self.at("2026-05-01T00:00:00Z"), writingMinutes: 25),
        ]
        #expect(inputs.table(.caseload).rows.map { $0.cells.map(\.text) } == [["1", "2", "2"], ["2", "1.5", "2"]])
        #expect(
            inputs.table(.assessmentWritingTime).rows.map { $0.cells.map(\.text) } == [
                ["2", "50.5", "61"], ["1", "25", "25"], ["3", "40", "61"],
            ])
        inputs.time = [
            .init(
                practitionerID: sam, agency: .education, activity: .assessmentWriting, minutes: 40.4,
                at: Self.at("2026-03-01T00:00:00Z")),
            .init(practitionerID: sam, agency: .education, activity: .calls, minutes: 15, at: Self.at("2026-03-02T00:00:00Z")),
            .init(practitionerID: kim, agency: .health, activity: .visits, minutes: 60, at: Self.at("2026-03-03T00:00:00Z")),
            .init(practitionerID: kim, agency: .health, activity: .visits, minutes: 30, at: Self.at("2025-03-03T00:00:00Z")),
        ]
        #expect(
            inputs.table(.practitionerTime).rows.map { $0.cells.map(\.text) } == [
                ["1", "40", "0", "15", "0", "0", "55"], ["1", "0", "0", "0", "60", "0", "60"],
                ["2", "40", "0", "15", "60", "0", "115"],
            ])
        inputs.checklists = [
            .init(
                group: "Police", decision: .caf, recordedAt: Self.at("2026-02-01T00:00:00Z"), foundOpenCAF: true, joinedIt: true),
            .init(group: "Police", decision: .caf, recordedAt: Self.at("2026-02-02T00:00:00Z"), foundOpenCAF: true),
            .init(group: "Police", decision: .caf, recordedAt: Self.at("2026-02-03T00:00:00Z")),
        ]
        #expect(inputs.table(.duplicationAvoided).rows.last?.cells.map(\.text) == ["2", "1", "50%"])
        #expect(inputs.table(.checklistOutcomes).rows.last?.cells.map(\.text) == ["3", "100%"])
    }
}
