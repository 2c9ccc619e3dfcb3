import Foundation

/// The first time each step of a CAF happened, which the time-to measures count to. Each rule
/// is stated here once, in the two forms it runs in: `earliest`, over an episode's records,
/// and `sql`, which the database's triggers keep on the episode (App's `MilestoneTriggers`
/// installs them from this, and `ecaf migrate` puts them back when they differ). A test runs
/// both on the same records (`MilestoneTriggersTests`).
public enum Milestone: String, CaseIterable, Sendable {
    case assessed, met, helped, led

    /// The episode's column that keeps it.
    public var column: String {
        switch self {
        case .assessed: "first_assessed_at"
        case .met: "first_meeting_at"
        case .helped: "first_action_at"
        case .led: "first_lead_at"
        }
    }

    /// The earliest of the episode's records that count, as plain values.
    public func earliest(_ records: EpisodeRecords) -> Date? {
        switch self {
        case .assessed: records.assessments.filter { $0.status == .completed }.compactMap(\.completedAt).min()
        case .met: records.meetings.filter(\.held).map(\.scheduledAt).min()
        case .helped: records.actions.filter(\.status.helpStarted).compactMap { $0.startedAt ?? $0.completedAt }.min()
        case .led: records.leadTermsStartedAt.min()
        }
    }

    /// The same rule as SQL over one table: the earliest `time` of its rows that meet
    /// `condition` (built from the Swift rule's own values where it has any).
    public var sql: (table: String, time: String, condition: String?) {
        switch self {
        case .assessed: ("assessments", "completed_at", "status = '\(AssessmentStatus.completed.rawValue)'")
        case .met: ("tac_meetings", "scheduled_at", "held = TRUE")
        case .helped:
            (
                "plan_actions", "coalesce(started_at, completed_at)",
                "status IN (\(ActionStatus.allCases.filter(\.helpStarted).map { "'\($0.rawValue)'" }.joined(separator: ", ")))"
            )
        case .led: ("lead_professional_terms", "started_at", nil)
        }
    }
}

/// What an episode's milestones are worked out from.
public struct EpisodeRecords: Sendable {
    public struct Assessment: Sendable {
        public let status: AssessmentStatus
        public let completedAt: Date?
        public init(status: AssessmentStatus, completedAt: Date?) { (self.status, self.completedAt) = (status, completedAt) }
    }
    public struct Meeting: Sendable {
        public let held: Bool
        public let scheduledAt: Date
        public init(held: Bool, scheduledAt: Date) { (self.held, self.scheduledAt) = (held, scheduledAt) }
    }
    public struct Action: Sendable {
        public let status: ActionStatus
        public let startedAt: Date?
        public let completedAt: Date?
        public init(status: ActionStatus, startedAt: Date?, completedAt: Date?) {
            (self.status, self.startedAt, self.completedAt) = (status, startedAt, completedAt)
        }
    }

    public var assessments: [Assessment] = []
    public var meetings: [Meeting] = []
    public var actions: [Action] = []
    public var leadTermsStartedAt: [Date] = []

    public init() {}
}
