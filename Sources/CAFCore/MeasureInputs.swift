import Foundation

/// Everything the measures are computed from, for one scope (an LA or the nation, perhaps
/// narrowed to an agency type or organisation) and period.
public struct MeasureInputs: Sendable {
    public var period: MeasurePeriod
    /// When the figures are taken: what is overdue or late is judged now.
    public var now: Date
    public var episodes: [EpisodeHistory] = []
    /// When each child's CAFs were opened, all of them, for re-referral.
    public var openings: [UUID: [Date]] = [:]
    public var checklists: [ChecklistHistory] = []
    public var calls: [CallHistory] = []
    public var actions: [ActionHistory] = []
    public var referrals: [ReferralHistory] = []
    public var leadTerms: [LeadTermHistory] = []
    public var invitations: [InvitationHistory] = []
    public var completions: [CompletionHistory] = []
    public var time: [TimeHistory] = []
    /// What the rows of a table by group are called.
    public var groupHeading: String

    public init(period: MeasurePeriod, now: Date, groupHeading: String) {
        self.period = period
        self.now = now
        self.groupHeading = groupHeading
    }

    public func table(_ measure: Measure) -> MeasureTable {
        switch measure {
        case .timeToAssessment: days(measure, to: \.firstAssessmentCompletedAt)
        case .timeToTeam: days(measure, to: \.firstMeetingHeldAt)
        case .timeToHelp: days(measure, to: \.firstActionStartedAt)
        case .timeToLead: days(measure, to: \.firstLeadAgreedAt)
        case .safeguardingFollowUp: followUps()
        case .checklistOutcomes: checklistOutcomes()
        case .closureOutcomes: closureOutcomes()
        case .needChange: needChange()
        case .needsMet: closedShare(.needsMet, "Needs met") { [.needsMet, .singleService].contains($0.closureReason) }
        case .reReferral: closedShare(.reReferral, "Re-referred") { reReferred($0) }
        case .stepUp: stepUp()
        case .actionsDelivered: actionsDelivered()
        case .leadProfessionalShare: leadProfessionalShare()
        case .attendance: attendance()
        case .caseload: caseload()
        case .duplicationAvoided: duplicationAvoided()
        case .practitionerTime: practitionerTime()
        case .assessmentWritingTime: assessmentWritingTime()
        }
    }

    /// One row per group, in order, then "All" adding them up.
    func byGroup<Item>(_ items: [Item], group: (Item) -> String, cells: ([Item]) -> [MeasureTable.Cell])
        -> [MeasureTable.Row]
    {
        let grouped = Dictionary(grouping: items, by: group)
        return grouped.keys.sorted().map { MeasureTable.Row($0, cells(grouped[$0]!)) }
            + [MeasureTable.Row("All", cells(items), isTotal: true)]
    }

    func days(_ measure: Measure, to end: KeyPath<EpisodeHistory, Date?>) -> MeasureTable {
        let counted = episodes.filter { period.contains($0[keyPath: end]) }
        return MeasureTable(
            measure, rowHeading: groupHeading, columns: MeasureTable.distributionColumns,
            rows: byGroup(counted, group: \.group) { episodes in
                MeasureTable.cells(Distribution(episodes.map { CalendarDays.between($0.openedAt, $0[keyPath: end]!) }))
            })
    }

    func isLate(_ call: CallHistory) -> Bool {
        call.followUpSentAt.map { $0 > call.followUpDue } ?? (call.followUpDue < now)
    }

    func followUps() -> MeasureTable {
        let counted = calls.filter { period.contains($0.calledAt) }
        return MeasureTable(
            .safeguardingFollowUp, rowHeading: groupHeading,
            columns: [
                .init("Calls", .count), .init("Followed up", .count), .init("Median days", .days, basis: 1),
                .init("90th percentile days", .days, basis: 1), .init("Late", .count), .init("Late share", .percent, basis: 4),
            ],
            rows: byGroup(counted, group: \.group) { calls in
                let sent = calls.compactMap { call in call.followUpSentAt.map { CalendarDays.between(call.calledAt, $0) } }
                let late = calls.count(where: isLate)
                return [.count(calls.count)] + MeasureTable.cells(Distribution(sent))
                    + [.count(late), MeasureTable.share(late, of: calls.count)]
            })
    }

    /// One row per category, then "All".
    func categories<Category: Hashable>(
        _ measure: Measure, heading: String, _ all: [Category], of items: [Category], title: (Category) -> String
    ) -> MeasureTable {
        MeasureTable(
            measure, rowHeading: heading, columns: [.init("Count", .count), .init("Share", .percent, basis: 0)],
            rows: all.map { category in
                let count = items.count { $0 == category }
                return MeasureTable.Row(title(category), [.count(count), MeasureTable.share(count, of: items.count)])
            } + [MeasureTable.Row("All", [.count(items.count), MeasureTable.share(items.count, of: items.count)], isTotal: true)]
        )
    }

    func checklistOutcomes() -> MeasureTable {
        categories(
            .checklistOutcomes, heading: "Decision", ChecklistDecision.allCases,
            of: checklists.filter { period.contains($0.recordedAt) }.map(\.decision), title: \.title)
    }

    var closed: [EpisodeHistory] { episodes.filter { period.contains($0.closedAt) && $0.closureReason != nil } }

    func closureOutcomes() -> MeasureTable {
        categories(.closureOutcomes, heading: "Closure reason", ClosureReason.allCases, of: closed.compactMap(\.closureReason)) {
            $0.title
        }
    }

    func closedShare(_ measure: Measure, _ title: String, _ counts: (EpisodeHistory) -> Bool) -> MeasureTable {
        MeasureTable(
            measure, rowHeading: groupHeading,
            columns: [.init("Closed", .count), .init(title, .count), .init("Share", .percent, basis: 1)],
            rows: byGroup(closed, group: \.group) { episodes in
                let part = episodes.count(where: counts)
                return [.count(episodes.count), .count(part), MeasureTable.share(part, of: episodes.count)]
            })
    }

    /// A new CAF for the same child opened after the closure and within 12 months of it.
    func reReferred(_ episode: EpisodeHistory) -> Bool {
        guard let closedAt = episode.closedAt,
            let yearOn = CalendarDays.calendar.date(byAdding: .month, value: 12, to: closedAt)
        else { return false }
        return (openings[episode.childID] ?? []).contains { $0 > closedAt && $0 <= yearOn }
    }

    func stepUp() -> MeasureTable {
        let decided = referrals.filter { period.contains($0.decidedAt) && $0.decision != .pending }
        let groups = Set(closed.map(\.group)).union(decided.map(\.group)).sorted()
        func cells(_ closed: [EpisodeHistory], _ decided: [ReferralHistory]) -> [MeasureTable.Cell] {
            let steppedUp = closed.count { $0.closureReason == .stepUp }
            let accepted = decided.count { $0.decision == .accepted }
            return [
                .count(closed.count), .count(steppedUp), MeasureTable.share(steppedUp, of: closed.count), .count(decided.count),
                .count(accepted), MeasureTable.share(accepted, of: decided.count),
            ]
        }
        return MeasureTable(
            .stepUp, rowHeading: groupHeading,
            columns: [
                .init("Closed", .count), .init("Stepped up", .count), .init("Step-up share", .percent, basis: 1),
                .init("Referrals decided", .count), .init("Accepted", .count), .init("Accepted share", .percent, basis: 4),
            ],
            rows: groups.map { group in
                MeasureTable.Row(group, cells(closed.filter { $0.group == group }, decided.filter { $0.group == group }))
            } + [MeasureTable.Row("All", cells(closed, decided), isTotal: true)])
    }

    func needChange() -> MeasureTable {
        let compared = episodes.filter { period.contains($0.latestAssessmentCompletedAt) }.compactMap(\.levelChanges)
        // Each element's changes gathered in one pass: there are rows by the hundred thousand.
        var changes = [[LevelChange]](repeating: [], count: CAFForm.elements.count)
        for comparison in compared {
            for (index, change) in comparison.enumerated() { changes[index].append(change) }
        }
        func of(_ elements: [CAFElement]) -> [LevelChange] {
            elements.flatMap { element in changes[CAFForm.elements.firstIndex(of: element)!] }
        }
        func cells(_ changes: [LevelChange]) -> [MeasureTable.Cell] {
            let down = changes.count { $0 == .down }
            let compared = changes.count { $0 != .notComparable }
            return [
                .count(down), .count(changes.count { $0 == .same }), .count(changes.count { $0 == .up }),
                MeasureTable.share(down, of: compared),
            ]
        }
        var tableRows: [MeasureTable.Row] = []
        var subtotals: [[Int]] = []
        for domain in CAFDomain.allCases {
            let start = tableRows.count
            let elements = CAFForm.elements(in: domain)
            tableRows.append(.init("\(domain.title): all", cells(of(elements))))
            for element in elements { tableRows.append(.init(element.name, cells(of([element])))) }
            subtotals.append(Array(start..<tableRows.count))
        }
        // The domains add up to all elements; each domain's elements add up to its subtotal.
        tableRows.append(.init("All elements", cells(of(CAFForm.elements)), isTotal: true))
        subtotals.append(subtotals.map { $0[0] } + [tableRows.count - 1])
        return MeasureTable(
            .needChange, rowHeading: "Element or domain",
            columns: [
                .init("Down", .count), .init("Same", .count), .init("Up", .count), .init("Share down", .percent, basis: 0),
            ],
            rows: tableRows, partsOfWhole: true, subtotals: subtotals)
    }

    func actionsDelivered() -> MeasureTable {
        let due = actions.filter { action in ActionHistory.dueBy(action.dueOn).map { period.contains($0 - 1) } ?? false }
        return MeasureTable(
            .actionsDelivered, rowHeading: groupHeading,
            columns: [
                .init("Due", .count), .init("Done by the due date", .count), .init("Share on time", .percent, basis: 1),
                .init("Overdue", .count),
            ],
            rows: byGroup(due, group: \.group) { actions in
                let onTime = actions.filter { $0.status == .done }.reduce(0) { $0 + $1.completedByDue }
                let overdue = actions.filter { action in
                    [.planned, .inProgress].contains(action.status)
                        && (ActionHistory.dueBy(action.dueOn).map { $0 <= now } ?? false)
                }.reduce(0) { $0 + $1.count }
                let count = actions.reduce(0) { $0 + $1.count }
                return [.count(count), .count(onTime), MeasureTable.share(onTime, of: count), .count(overdue)]
            })
    }

    /// Calendar days of each term within the period, by the lead's agency type.
    func leadProfessionalShare() -> MeasureTable {
        let days = leadTerms.compactMap { term -> (agency: AgencyType, days: Int)? in
            let start = max(term.startedAt, period.from)
            let end = min(term.endedAt ?? now, period.to, now)
            return end > start ? (term.agency, CalendarDays.between(start, end)) : nil
        }
        let all = days.reduce(0) { $0 + $1.days }
        return MeasureTable(
            .leadProfessionalShare, rowHeading: "Agency type",
            columns: [
                .init("Lead terms", .count), .init("Lead professional days", .number, basis: 0),
                .init("Share of days", .percent, basis: 0),
            ],
            rows: byGroup(days, group: \.agency.title) { terms in
                let sum = terms.reduce(0) { $0 + $1.days }
                return [.count(terms.count), .number(Double(sum)), MeasureTable.share(sum, of: all)]
            })
    }

    func attendance() -> MeasureTable {
        let held = invitations.filter { period.contains($0.heldAt) }
        return MeasureTable(
            .attendance, rowHeading: "Agency type",
            columns: [
                .init("Invited", .count), .init("Attended", .count), .init("Sent apologies", .count),
                .init("Did not attend", .count), .init("Share attended", .percent, basis: 1),
            ],
            rows: byGroup(held, group: { $0.agency?.title ?? "Family members" }) { invitations in
                let count = { (attendance: Attendance) in
                    invitations.filter { $0.attendance == attendance }.reduce(0) { $0 + $1.count }
                }
                let invited = invitations.reduce(0) { $0 + $1.count }
                return [
                    .count(invited), .count(count(.attended)), .count(count(.apologies)), .count(count(.didNotAttend)),
                    MeasureTable.share(count(.attended), of: invited),
                ]
            },
            partsOfWhole: true)
    }

    func caseload() -> MeasureTable {
        let end = min(period.to, now)
        let open = leadTerms.filter { $0.startedAt < end && ($0.endedAt.map { $0 >= end } ?? true) }
        let perLead = Dictionary(grouping: open, by: \.practitionerID).values.map(\.count)
        let perAssessor = Dictionary(grouping: completions.filter { period.contains($0.completedAt) }, by: \.practitionerID)
            .values.map { $0.reduce(0) { $0 + $1.count } }
        func cells(_ distribution: Distribution) -> [MeasureTable.Cell] {
            [
                .count(distribution.count), distribution.median.map(MeasureTable.Cell.number) ?? .empty,
                distribution.p90.map(MeasureTable.Cell.number) ?? .empty,
            ]
        }
        return MeasureTable(
            .caseload, rowHeading: "Workload",
            columns: [
                .init("Practitioners", .count), .init("Median", .number, basis: 0), .init("90th percentile", .number, basis: 0),
            ],
            rows: [
                .init("Open CAFs led, at the end of the period", cells(Distribution(perLead))),
                .init("Assessments completed in the period", cells(Distribution(perAssessor))),
            ])
    }

    func duplicationAvoided() -> MeasureTable {
        let found = checklists.filter { period.contains($0.recordedAt) && $0.foundOpenCAF }
        return MeasureTable(
            .duplicationAvoided, rowHeading: groupHeading,
            columns: [
                .init("Found an open CAF", .count), .init("Joined its team", .count), .init("Share joined", .percent, basis: 1),
            ],
            rows: byGroup(found, group: \.group) { checklists in
                let joined = checklists.count(where: \.joinedIt)
                return [.count(checklists.count), .count(joined), MeasureTable.share(joined, of: checklists.count)]
            })
    }

    func practitionerTime() -> MeasureTable {
        let spent = time.filter { period.contains($0.at) }
        func minutes(_ entries: [TimeHistory]) -> MeasureTable.Cell {
            .number(entries.reduce(0) { $0 + $1.minutes }.rounded())
        }
        return MeasureTable(
            .practitionerTime, rowHeading: "Agency type",
            columns: [.init("Practitioners", .count)]
                + Activity.allCases.map { .init("\($0.title) minutes", .number, basis: 0) } + [
                    .init("All minutes", .number, basis: 0)
                ],
            rows: byGroup(spent, group: { $0.agency?.title ?? "Other" }) { entries in
                [.count(Set(entries.map(\.practitionerID)).count)]
                    + Activity.allCases.map { activity in minutes(entries.filter { $0.activity == activity }) } + [
                        minutes(entries)
                    ]
            })
    }

    func assessmentWritingTime() -> MeasureTable {
        MeasureTable(
            .assessmentWritingTime, rowHeading: groupHeading,
            columns: [
                .init("Assessments", .count), .init("Median minutes", .number, basis: 0),
                .init("90th percentile minutes", .number, basis: 0),
            ],
            rows: byGroup(completions.filter { period.contains($0.completedAt) && $0.writingMinutes != nil }, group: \.group) {
                completions in
                let distribution = Distribution(completions.compactMap { $0.writingMinutes.map { Int($0.rounded()) } })
                return [
                    .count(distribution.count), distribution.median.map(MeasureTable.Cell.number) ?? .empty,
                    distribution.p90.map(MeasureTable.Cell.number) ?? .empty,
                ]
            })
    }
}
