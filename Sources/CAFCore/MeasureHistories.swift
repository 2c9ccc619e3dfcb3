import Foundation

/// What the measures know of one CAF episode: dates, outcome and levels, never content.
public struct EpisodeHistory: Sendable {
    public var childID: UUID
    /// The row it is counted in: an agency type's title, or a local authority's name.
    public var group: String
    public var openedAt: Date
    public var firstAssessmentCompletedAt: Date?
    public var firstMeetingHeldAt: Date?
    public var firstActionStartedAt: Date?
    public var firstLeadAgreedAt: Date?
    public var closedAt: Date?
    public var closureReason: ClosureReason?
    /// Each element's change from the first completed assessment to the latest, in
    /// `CAFForm.elements` order (`LevelComparison`'s rows), when there are two or more.
    public var levelChanges: [LevelChange]?
    public var latestAssessmentCompletedAt: Date?

    public init(childID: UUID, group: String, openedAt: Date) {
        self.childID = childID
        self.group = group
        self.openedAt = openedAt
    }
}

public struct ChecklistHistory: Sendable {
    public let group: String
    public let decision: ChecklistDecision
    public let recordedAt: Date
    /// The child already had an open CAF, and whether this practitioner then joined its team.
    public let foundOpenCAF: Bool
    public let joinedIt: Bool

    public init(group: String, decision: ChecklistDecision, recordedAt: Date, foundOpenCAF: Bool = false, joinedIt: Bool = false)
    {
        self.group = group
        self.decision = decision
        self.recordedAt = recordedAt
        self.foundOpenCAF = foundOpenCAF
        self.joinedIt = joinedIt
    }
}

public struct CallHistory: Sendable {
    public let group: String
    public let calledAt: Date
    public let followUpDue: Date
    public let followUpSentAt: Date?

    public init(group: String, calledAt: Date, followUpDue: Date, followUpSentAt: Date?) {
        self.group = group
        self.calledAt = calledAt
        self.followUpDue = followUpDue
        self.followUpSentAt = followUpSentAt
    }
}

/// Plan actions due on one day: one, or `count` alike (the same group, due day and status)
/// counted by the database.
public struct ActionHistory: Sendable {
    public let group: String
    /// YYYY-MM-DD.
    public let dueOn: String
    public let status: ActionStatus
    public let count: Int
    /// How many of them were completed by `dueBy`.
    public let completedByDue: Int

    public init(group: String, dueOn: String, status: ActionStatus, count: Int, completedByDue: Int) {
        self.group = group
        self.dueOn = dueOn
        self.status = status
        self.count = count
        self.completedByDue = completedByDue
    }

    /// An action is delivered on time when it is completed before its due day ends in England:
    /// the one statement of the rule, which the database's count applies too (MeasureData's
    /// `actions` compares each completion with the moment this gives).
    public static func dueBy(_ dueOn: String) -> Date? { CalendarDays.endOf(dueOn) }
}

public struct ReferralHistory: Sendable {
    public let group: String
    public let decidedAt: Date?
    public let decision: ReferralDecision

    public init(group: String, decidedAt: Date?, decision: ReferralDecision) {
        self.group = group
        self.decidedAt = decidedAt
        self.decision = decision
    }
}

/// A lead professional's term on one CAF: it ends when the lead changes or the CAF closes.
public struct LeadTermHistory: Sendable {
    public let practitionerID: UUID
    public let agency: AgencyType
    public let startedAt: Date
    public let endedAt: Date?

    public init(practitionerID: UUID, agency: AgencyType, startedAt: Date, endedAt: Date?) {
        self.practitionerID = practitionerID
        self.agency = agency
        self.startedAt = startedAt
        self.endedAt = endedAt
    }
}

/// One invitation to a meeting that was held; family members have no agency.
/// Invitations to a meeting held at `heldAt`: one, or `count` alike (the same agency type and
/// attendance) counted by the database, held at the first of their times.
public struct InvitationHistory: Sendable {
    public let agency: AgencyType?
    public let heldAt: Date
    public let attendance: Attendance
    public let count: Int

    public init(agency: AgencyType?, heldAt: Date, attendance: Attendance, count: Int = 1) {
        self.agency = agency
        self.heldAt = heldAt
        self.attendance = attendance
        self.count = count
    }
}

/// Time a practitioner spent on CAFs: a manual entry, an editing session's active time, or
/// the sum of several of one activity (the database sums them), at the first of their times.
public struct TimeHistory: Sendable {
    public let practitionerID: UUID
    /// The practitioner's own agency type.
    public let agency: AgencyType?
    public let activity: Activity
    public let minutes: Double
    public let at: Date

    public init(practitionerID: UUID, agency: AgencyType?, activity: Activity, minutes: Double, at: Date) {
        self.practitionerID = practitionerID
        self.agency = agency
        self.activity = activity
        self.minutes = minutes
        self.at = at
    }
}

/// A completed assessment: who wrote it, and how long its active editing took.
/// One completed assessment, or `count` by one practitioner counted by the database (then
/// completed at the first of their times, and with no writing time).
public struct CompletionHistory: Sendable {
    public let practitionerID: UUID
    public let group: String
    public let completedAt: Date
    /// Nil when no editing was measured (an assessment sent through the API).
    public let writingMinutes: Double?
    public let count: Int

    public init(practitionerID: UUID, group: String, completedAt: Date, writingMinutes: Double?, count: Int = 1) {
        self.practitionerID = practitionerID
        self.group = group
        self.completedAt = completedAt
        self.writingMinutes = writingMinutes
        self.count = count
    }
}
