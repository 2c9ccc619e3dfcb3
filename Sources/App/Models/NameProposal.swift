import CAFCore
import Fluent
import Foundation

/// A correction to a child's name from someone outside the child's team, awaiting (or given)
/// a coordinator's decision.
final class NameProposal: Model, @unchecked Sendable {
    static let schema = "name_proposals"

    enum Decision: String, Codable, Sendable {
        case pending, accepted, refused
    }

    @ID(key: .id) var id: UUID?
    @Parent(key: "child_id") var child: Child
    /// The child's LA when proposed: whose coordinators decide.
    @Parent(key: "local_authority_id") var localAuthority: LocalAuthority
    @Enum(key: "kind") var kind: NameKind
    @Field(key: "given_name") var givenName: String
    @Field(key: "family_name") var familyName: String
    /// How the proposer knows: what the coordinator checks.
    @Field(key: "reason") var reason: String
    @Parent(key: "proposed_by_id") var proposedBy: Practitioner
    @Field(key: "proposed_at") var proposedAt: Date
    @Enum(key: "decision") var decision: Decision
    @OptionalParent(key: "decided_by_id") var decidedBy: Practitioner?
    @OptionalField(key: "decided_at") var decidedAt: Date?
    @Field(key: "decision_note") var decisionNote: String

    /// Listed, not reflected: Fluent would reflect them for every row (issue 16).
    /// `ModelPropertyTests` holds the list to the declarations.
    var properties: [any AnyProperty] {
        [
            $id, $child, $localAuthority, $kind, $givenName, $familyName, $reason, $proposedBy, $proposedAt, $decision,
            $decidedBy, $decidedAt, $decisionNote,
        ]
    }
    init() {}

    var fullName: String { "\(givenName) \(familyName)" }
}
