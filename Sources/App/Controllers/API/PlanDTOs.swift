import CAFCore
import Foundation

// The JSON API's shapes for plans, closure and referrals. Fluent
// models never leave the App layer as JSON: each response is built from them here, so the
// wire format changes only on purpose.

struct ActionRequest: Decodable {
    let description: String
    let elementCodes: [String]
    let ownerEmail: String?
    let ownerAgency: String?
    let dueOn: String

    var planned: PlannedAction {
        PlannedAction(
            description: description, elementCodes: elementCodes, ownerEmail: ownerEmail ?? "", ownerAgency: ownerAgency ?? "",
            dueOn: dueOn)
    }
}

struct ActionUpdateRequest: Decodable {
    let status: ActionStatus
    let outcomeNote: String?
}

struct ActionDTO: Encodable {
    let id: UUID
    let episodeId: UUID
    let description: String
    let elementCodes: [String]
    let ownerPractitionerId: UUID?
    let ownerAgency: String
    let dueOn: String
    let status: ActionStatus
    let overdue: Bool
    let outcomeNote: String
    let startedAt: Date?
    let completedAt: Date?
    /// Named in `If-Match` (as `"3"`) to change the action.
    let version: Int

    init(_ action: PlanAction) {
        id = action.id!
        episodeId = action.$episode.id
        description = action.description
        elementCodes = action.elementCodes
        ownerPractitionerId = action.$ownerPractitioner.id
        ownerAgency = action.ownerAgency
        dueOn = action.dueOn
        status = action.status
        overdue = action.isOverdue()
        outcomeNote = action.outcomeNote
        startedAt = action.startedAt
        completedAt = action.completedAt
        version = action.version
    }
}

struct ActionPlanDTO: Encodable {
    let episodeId: UUID
    let reviewOn: String?
    /// The review date's version, for If-Match when it is set again.
    let reviewVersion: Int
    let actions: [ActionDTO]
}

struct PlanReviewRequest: Decodable {
    let reviewOn: String
}

struct CloseRequest: Decodable {
    let reason: ClosureReason
    let note: String?
}

struct ReopenRequest: Decodable {
    let reason: String
}

struct ReferralDecisionRequest: Decodable {
    let decision: ReferralDecision
    let reason: String?
}

struct ReferralDTO: Encodable {
    let id: UUID
    let episodeId: UUID
    let childId: UUID?
    let childName: String?
    let referredBy: ContactDTO?
    let referredAt: Date
    let note: String
    let decision: ReferralDecision
    let decidedAt: Date?
    let decisionReason: String

    init(_ referral: Referral) {
        id = referral.id!
        episodeId = referral.$episode.id
        childId = referral.$episode.value?.$child.id
        childName = referral.$episode.value?.$child.value?.fullName
        // Decided by the LA's safeguarding staff, who see the whereabouts.
        referredBy = referral.$referredBy.value.map { ContactDTO($0, shield: .open) }
        referredAt = referral.referredAt
        note = referral.note
        decision = referral.decision
        decidedAt = referral.decidedAt
        decisionReason = referral.decisionReason
    }
}

struct ReferralListDTO: Encodable {
    let referrals: [ReferralDTO]
}
