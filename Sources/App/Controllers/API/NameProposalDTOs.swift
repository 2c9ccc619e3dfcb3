import CAFCore
import Foundation

// The JSON API's shapes for name corrections. Fluent
// models never leave the App layer as JSON: each response is built from them here, so the
// wire format changes only on purpose.

struct NameProposalDecisionRequest: Decodable {
    enum Decision: String, Decodable { case accepted, refused }
    let decision: Decision
    /// Why it is refused (the proposer sees it); optional when accepting.
    let note: String?
}

/// A correction to a child's name awaiting, or given, a coordinator's decision.
struct NameProposalDTO: Encodable {
    let id: UUID
    let childId: UUID
    let kind: NameKind
    let givenName: String
    let familyName: String
    let reason: String
    let proposedBy: ContactDTO?
    let proposedAt: Date
    let decision: String
    let decidedAt: Date?
    let decisionNote: String

    init(_ proposal: NameProposal) {
        id = proposal.id!
        childId = proposal.$child.id
        kind = proposal.kind
        givenName = proposal.givenName
        familyName = proposal.familyName
        reason = proposal.reason
        // Seen by the proposer and the LA's coordinators, who see the whereabouts.
        proposedBy = proposal.$proposedBy.value.map { ContactDTO($0, shield: .open) }
        proposedAt = proposal.proposedAt
        decision = proposal.decision.rawValue
        decidedAt = proposal.decidedAt
        decisionNote = proposal.decisionNote
    }
}

struct NameProposalQueueDTO: Encodable {
    let proposals: [NameProposalDTO]
}
