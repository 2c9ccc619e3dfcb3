import Foundation

/// What children's social care advised on a safeguarding call; it decides whether the CAF
/// continues.
public enum SafeguardingAdvice: String, CaseIterable, Codable, Sendable {
    case continueCAF = "continue-caf"
    case socialCareLead = "social-care-lead"
    case noFurtherAction = "no-further-action"

    public var title: String {
        switch self {
        case .continueCAF: "Continue with early help: a CAF may go ahead"
        case .socialCareLead: "Children’s social care are taking it forward (no CAF for now)"
        case .noFurtherAction: "No further action by children’s social care; no CAF needed"
        }
    }

    public var cafContinues: Bool { self == .continueCAF }
}

/// A safeguarding call as recorded by the caller.
public struct SafeguardingCallRecord: Sendable, Hashable {
    public var calledAt: Date
    public var spokeTo: String
    public var advice: SafeguardingAdvice
    public var adviceNote: String
    public var reference: String

    public init(calledAt: Date, spokeTo: String, advice: SafeguardingAdvice, adviceNote: String, reference: String) {
        self.calledAt = calledAt
        self.spokeTo = spokeTo
        self.advice = advice
        self.adviceNote = adviceNote
        self.reference = reference
    }

    public func problems(now: Date) -> [FieldProblem] {
        var problems: [FieldProblem] = []
        if calledAt > now.addingTimeInterval(5 * 60) {
            problems.append(.init(field: "calledAt", message: "The time of the call cannot be in the future"))
        }
        if spokeTo.trimmingCharacters(in: .whitespaces).isEmpty {
            problems.append(.init(field: "spokeTo", message: "Enter who you spoke to at children’s social care"))
        }
        if adviceNote.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            problems.append(.init(field: "adviceNote", message: "Write down the advice you were given"))
        }
        return problems
    }

    /// The written follow-up is due a set number of hours after the call (an LA setting).
    public func followUpDue(hours: Int) -> Date {
        calledAt.addingTimeInterval(TimeInterval(hours) * 3600)
    }
}

public enum FollowUp {
    public enum State: String, Sendable { case sent, due, overdue }

    public static func state(due: Date, sentAt: Date?, now: Date) -> State {
        if sentAt != nil { return .sent }
        return now > due ? .overdue : .due
    }
}
