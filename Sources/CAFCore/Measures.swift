import Foundation

/// The measures of MEASURES.md: did help come sooner, did it work, and what did it cost.
public enum Measure: String, CaseIterable, Sendable {
    case timeToAssessment = "time-to-assessment"
    case timeToTeam = "time-to-team"
    case timeToHelp = "time-to-help"
    case timeToLead = "time-to-lead"
    case safeguardingFollowUp = "safeguarding-follow-up"
    case checklistOutcomes = "checklist-outcomes"
    case closureOutcomes = "closure-outcomes"
    case needChange = "need-change"
    case needsMet = "needs-met"
    case reReferral = "re-referral"
    case stepUp = "step-up"
    case actionsDelivered = "actions-delivered"
    case leadProfessionalShare = "lead-professional-share"
    case attendance
    case caseload
    case duplicationAvoided = "duplication-avoided"
    case practitionerTime = "practitioner-time"
    case assessmentWritingTime = "assessment-writing-time"

    public enum Family: String, CaseIterable, Sendable {
        case swiftness, effectiveness, burden

        public var title: String {
            switch self {
            case .swiftness: "Swiftness: did help come sooner?"
            case .effectiveness: "Effectiveness: did help work?"
            case .burden: "Burden: what did it cost, and who carries it?"
            }
        }
    }

    public var family: Family {
        switch self {
        case .timeToAssessment, .timeToTeam, .timeToHelp, .timeToLead, .safeguardingFollowUp, .checklistOutcomes: .swiftness
        case .closureOutcomes, .needChange, .needsMet, .reReferral, .stepUp, .actionsDelivered: .effectiveness
        case .leadProfessionalShare, .attendance, .caseload, .duplicationAvoided, .practitionerTime, .assessmentWritingTime:
            .burden
        }
    }

    public var title: String {
        switch self {
        case .timeToAssessment: "Time to assessment"
        case .timeToTeam: "Time to a team around the child"
        case .timeToHelp: "Time to help"
        case .timeToLead: "Time to a lead professional"
        case .safeguardingFollowUp: "Safeguarding follow-up"
        case .checklistOutcomes: "Checklist outcomes"
        case .closureOutcomes: "Closure outcomes"
        case .needChange: "Change in needs"
        case .needsMet: "Needs met"
        case .reReferral: "Re-referral within 12 months"
        case .stepUp: "Step-up to social care"
        case .actionsDelivered: "Actions delivered"
        case .leadProfessionalShare: "Who carries the lead professional role"
        case .attendance: "Who comes to team meetings"
        case .caseload: "Caseload"
        case .duplicationAvoided: "Duplication avoided"
        case .practitionerTime: "Practitioners’ time"
        case .assessmentWritingTime: "Time to write an assessment"
        }
    }

    /// The measure in plain English, as the dashboard explains it.
    public var explanation: String {
        switch self {
        case .timeToAssessment:
            "Days from a CAF being opened to its first assessment being completed, for first assessments completed in the period."
        case .timeToTeam:
            "Days from a CAF being opened to its first team-around-the-child meeting being held, for first meetings held in the period."
        case .timeToHelp:
            "Days from a CAF being opened to the first action of its plan being started, for first actions started in the period."
        case .timeToLead:
            "Days from a CAF being opened to a lead professional being agreed, for first lead professionals agreed in the period."
        case .safeguardingFollowUp:
            "Days from a phone call to children’s social care to its written follow-up, for calls in the period. A follow-up is late when it was sent after its due time, or has not been sent and is overdue."
        case .checklistOutcomes:
            "What the pre-assessment checklist decided, for checklists in the period. Finding that no CAF is needed is a result too."
        case .closureOutcomes: "Why CAFs closed, for CAFs closed in the period."
        case .needChange:
            "For CAFs with two or more completed assessments, the latest completed in the period: how each element’s level of need moved from the first assessment to the latest. Down means less need."
        case .needsMet:
            "The share of CAFs closed in the period because the needs were met, or could be met by a single service."
        case .reReferral:
            "The share of CAFs closed in the period whose child had a new CAF opened within 12 months of the closure."
        case .stepUp:
            "The share of CAFs closed in the period by stepping up to children’s social care, and the share of step-up referrals decided in the period that social care accepted."
        case .actionsDelivered:
            "Plan actions due in the period: how many were done by their due date, and how many are overdue (due, and neither done nor closed as not done)."
        case .leadProfessionalShare:
            "Days that each agency type was lead professional for a CAF during the period, and its share of all such days: are schools carrying it?"
        case .attendance:
            "Invitations to team-around-the-child meetings held in the period, by the invitee’s agency type (family members apart), and whether they came."
        case .caseload:
            "Open CAFs per lead professional at the end of the period, and assessments completed per practitioner during it."
        case .duplicationAvoided:
            "Checklists in the period that found a CAF already open for the child, and how many of those practitioners joined its team instead of starting another."
        case .practitionerTime:
            "Minutes practitioners spent on CAFs in the period, by activity and by their agency type. Assessment writing and writing up meetings are timed automatically as active editing; calls, visits, meetings and admin are entered from the episode page."
        case .assessmentWritingTime:
            "Active editing minutes spent writing each assessment, from its first draft to its completion, for assessments completed in the period on the assessment form. A page left open does not count."
        }
    }
}

/// A measure's period: from the start of `from` up to (not including) `to`.
public struct MeasurePeriod: Sendable {
    public let from: Date
    public let to: Date

    public init(from: Date, to: Date) {
        self.from = from
        self.to = to
    }

    /// The calendar days (YYYY-MM-DD) it covers in England.
    public var days: [String] {
        (CalendarDays.number(of: from)...CalendarDays.number(of: to - 1)).map(CalendarDate.text(ofDayNumber:))
    }

    public func contains(_ date: Date?) -> Bool {
        guard let date else { return false }
        return date >= from && date < to
    }
}
