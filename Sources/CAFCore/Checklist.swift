import Foundation

/// The five Every Child Matters outcomes (checklist question 3).
public enum ECMOutcome: String, CaseIterable, Codable, Sendable {
    case beingHealthy = "being-healthy"
    case stayingSafe = "staying-safe"
    case enjoyingAndAchieving = "enjoying-and-achieving"
    case positiveContribution = "positive-contribution"
    case economicWellBeing = "economic-well-being"

    public var title: String {
        switch self {
        case .beingHealthy: "Being healthy"
        case .stayingSafe: "Staying safe"
        case .enjoyingAndAchieving: "Enjoying and achieving"
        case .positiveContribution: "Making a positive contribution"
        case .economicWellBeing: "Achieving economic well-being"
        }
    }
}

/// Where the pre-assessment checklist ends (CAF-FORM.md). Each is a result worth
/// counting: a checklist that needs no CAF has saved work.
public enum ChecklistDecision: String, CaseIterable, Codable, Sendable {
    case noAdditionalNeeds = "no-additional-needs"
    case singleService = "single-service"
    case caf
    case safeguarding

    public var title: String {
        switch self {
        case .noAdditionalNeeds: "No additional needs: universal services continue"
        case .singleService: "Needs met by my service or one referral"
        case .caf: "A holistic CAF assessment"
        case .safeguarding: "A safeguarding concern: phone children’s social care now"
        }
    }
}

/// The answers to the pre-assessment checklist. Question 1 (is there already an open
/// episode?) is answered by the index, not by the practitioner.
public struct ChecklistAnswers: Codable, Sendable, Hashable {
    /// 2. Harmed, or at risk of significant harm?
    public var harmConcern: Bool?
    /// 3. Worries about progress in any Every Child Matters outcome.
    public var worriedOutcomes: Set<ECMOutcome>
    /// 4. Has the child or family raised a concern, or asked for help?
    public var familyAskedForHelp: Bool?
    /// 5. Can your own service meet these needs, alone or by one referral?
    public var ownServiceCanMeet: Bool?
    /// 6. Are the needs unclear, or broader than your service can meet?
    public var needsUnclearOrBroad: Bool?
    /// Why, in the practitioner's words.
    public var reason: String

    public init(
        harmConcern: Bool?, worriedOutcomes: Set<ECMOutcome> = [], familyAskedForHelp: Bool? = nil,
        ownServiceCanMeet: Bool? = nil, needsUnclearOrBroad: Bool? = nil, reason: String = ""
    ) {
        self.harmConcern = harmConcern
        self.worriedOutcomes = worriedOutcomes
        self.familyAskedForHelp = familyAskedForHelp
        self.ownServiceCanMeet = ownServiceCanMeet
        self.needsUnclearOrBroad = needsUnclearOrBroad
        self.reason = reason
    }

    /// A concern of harm needs no other answer: the phone call comes first. Otherwise every
    /// question must be answered and the reason written.
    public func problems() -> [FieldProblem] {
        guard let harm = harmConcern else {
            return [.init(field: "harmConcern", message: "Say whether you are worried the child is at risk of significant harm")]
        }
        if harm { return [] }
        var problems: [FieldProblem] = []
        if familyAskedForHelp == nil {
            problems.append(.init(field: "familyAskedForHelp", message: "Say whether the child or family has asked for help"))
        }
        if ownServiceCanMeet == nil {
            problems.append(.init(field: "ownServiceCanMeet", message: "Say whether your service can meet these needs"))
        }
        if needsUnclearOrBroad == nil {
            problems.append(.init(field: "needsUnclearOrBroad", message: "Say whether the needs are unclear or broad"))
        }
        if reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            problems.append(.init(field: "reason", message: "Write the reason for your decision"))
        } else if reason.count > AssessmentContent.maxText {
            problems.append(
                .init(field: "reason", message: "Keep the reason to \(AssessmentContent.maxText) characters or fewer"))
        }
        return problems
    }

    /// The decision the answers lead to. Harm always means the phone; unclear or broad
    /// needs mean a CAF; needs one service can meet stay with it; no worry and no request
    /// for help means universal services continue.
    public var decision: ChecklistDecision {
        if harmConcern == true { return .safeguarding }
        if needsUnclearOrBroad == true { return .caf }
        if worriedOutcomes.isEmpty && familyAskedForHelp != true { return .noAdditionalNeeds }
        if ownServiceCanMeet == true { return .singleService }
        return .caf
    }
}
