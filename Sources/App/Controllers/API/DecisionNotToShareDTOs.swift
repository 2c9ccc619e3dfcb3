import CAFCore
import Foundation

// The JSON API's shapes for decisions not to share. Fluent
// models never leave the App layer as JSON: each response is built from them here, so the
// wire format changes only on purpose.

struct DecisionNotToShareRequest: Decodable {
    let withheld: String
    let withheldFrom: String
    let reason: String
}

/// A decision not to share, with its reason.
struct DecisionNotToShareDTO: Encodable {
    let id: UUID
    let childId: UUID
    let withheld: String
    let withheldFrom: String
    let reason: String
    let decidedBy: ContactDTO?
    let decidedAt: Date

    init(_ decision: DecisionNotToShare, shield: Shield) {
        id = decision.id!
        childId = decision.$child.id
        withheld = decision.withheld
        withheldFrom = decision.withheldFrom
        reason = decision.reason
        decidedBy = decision.$decidedBy.value.map { ContactDTO($0, shield: shield) }
        decidedAt = decision.decidedAt
    }
}

struct DecisionsNotToShareDTO: Encodable {
    /// Newest first, at most 200.
    let decisions: [DecisionNotToShareDTO]
    let lastThirtyDays: Int
}
