import Foundation

/// Why an episode closed (CAF-FORM.md): what the closure-outcome measures count.
public enum ClosureReason: String, CaseIterable, Codable, Sendable {
    case needsMet = "needs-met"
    case stepUp = "step-up"
    case singleService = "single-service"
    case movedAway = "moved-away"
    case disengaged
    case consentWithdrawn = "consent-withdrawn"
    case other

    public var title: String {
        switch self {
        case .needsMet: "Needs met"
        case .stepUp: "Step up: referred to children’s social care"
        case .singleService: "Remaining needs met by one service"
        case .movedAway: "Moved away or transferred"
        case .disengaged: "The family disengaged"
        case .consentWithdrawn: "Consent withdrawn"
        case .other: "Other"
        }
    }
}

public struct EpisodeClosure: Sendable, Hashable {
    public var reason: ClosureReason
    public var note: String

    public init(reason: ClosureReason, note: String) {
        self.reason = reason
        self.note = note
    }

    /// "Other" must say what; a step-up must say why social care is needed.
    public func problems() -> [FieldProblem] {
        let blank = note.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        if reason == .other && blank { return [.init(field: "note", message: "Say why the episode is closing")] }
        if reason == .stepUp && blank {
            return [.init(field: "note", message: "Write what children’s social care need to know for the referral")]
        }
        if note.count > AssessmentContent.maxText {
            return [.init(field: "note", message: "Keep the note to \(AssessmentContent.maxText) characters or fewer")]
        }
        return []
    }
}

/// Children's social care's answer to a step-up referral.
public enum ReferralDecision: String, CaseIterable, Codable, Sendable {
    case pending
    case accepted
    /// Returned to early help with a reason: the CAF carries on.
    case returned

    public var title: String {
        switch self {
        case .pending: "Awaiting decision"
        case .accepted: "Accepted by children’s social care"
        case .returned: "Returned to early help"
        }
    }
}
