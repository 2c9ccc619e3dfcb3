import Foundation

/// Whether an invitee came to a TAC meeting: what the attendance measure counts by agency.
public enum Attendance: String, CaseIterable, Codable, Sendable {
    case invited
    case attended
    case apologies
    case didNotAttend = "did-not-attend"

    public var title: String {
        switch self {
        case .invited: "Invited"
        case .attended: "Attended"
        case .apologies: "Sent apologies"
        case .didNotAttend: "Did not attend"
        }
    }
}

/// A TAC meeting as planned.
public struct MeetingPlan: Sendable, Hashable {
    public var scheduledAt: Date
    public var place: String

    public init(scheduledAt: Date, place: String) {
        self.scheduledAt = scheduledAt
        self.place = place
    }

    public func problems() -> [FieldProblem] {
        place.trimmingCharacters(in: .whitespaces).isEmpty
            ? [.init(field: "place", message: "Enter where the meeting is, for example the school’s family room")] : []
    }
}

/// What was recorded after a TAC meeting was held.
public struct MeetingRecord: Sendable, Hashable {
    public var attendance: [UUID: Attendance]
    public var minutes: String
    public var decisions: String

    public init(attendance: [UUID: Attendance], minutes: String, decisions: String) {
        self.attendance = attendance
        self.minutes = minutes
        self.decisions = decisions
    }

    /// Every invitee needs an answer once the meeting is held.
    public func problems(invitees: [UUID]) -> [FieldProblem] {
        var problems: [FieldProblem] = []
        for invitee in invitees where (attendance[invitee] ?? .invited) == .invited {
            problems.append(
                .init(field: "attendance.\(invitee.uuidString.lowercased())", message: "Say whether each person invited came"))
        }
        for id in attendance.keys where !invitees.contains(id) {
            problems.append(.init(field: "attendance", message: "Attendance was given for someone who was not invited"))
        }
        if minutes.count > AssessmentContent.maxText {
            problems.append(
                .init(field: "minutes", message: "Keep the minutes to \(AssessmentContent.maxText) characters or fewer"))
        }
        return problems
    }
}

/// How a lead professional came to hold the role.
public enum LeadProfessionalBasis: String, Codable, Sendable, CaseIterable {
    /// Agreed by the team at a TAC meeting.
    case agreedAtMeeting = "agreed-at-meeting"
    /// Assigned by the LA's coordinator.
    case assignedByCoordinator = "assigned-by-coordinator"
}

public struct LeadProfessionalChange: Sendable, Hashable {
    public var basis: LeadProfessionalBasis
    public var handoverNote: String

    public init(basis: LeadProfessionalBasis, handoverNote: String) {
        self.basis = basis
        self.handoverNote = handoverNote
    }

    /// Handing over from a previous lead needs a note for the next one.
    public func problems(hasCurrentLead: Bool, byCoordinator: Bool) -> [FieldProblem] {
        var problems: [FieldProblem] = []
        if hasCurrentLead && handoverNote.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            problems.append(.init(field: "handoverNote", message: "Write a handover note for the new lead professional"))
        }
        if basis == .assignedByCoordinator && !byCoordinator {
            problems.append(.init(field: "basis", message: "Only the local authority’s coordinator assigns a lead professional"))
        }
        return problems
    }
}
