import Fluent
import Foundation

/// A practitioner's decision that sharing information about a child would be more detrimental
/// to the child than withholding it, recorded with its reason.
final class DecisionNotToShare: Model, @unchecked Sendable {
    static let schema = "decisions_not_to_share"

    @ID(key: .id) var id: UUID?
    @Parent(key: "child_id") var child: Child
    /// The child's LA: whose coordinators see the decision.
    @Parent(key: "local_authority_id") var localAuthority: LocalAuthority
    /// What was not shared.
    @Field(key: "withheld") var withheld: String
    /// With whom it was not shared: an agency, a service or a person.
    @Field(key: "withheld_from") var withheldFrom: String
    /// Why sharing would have done the child more harm.
    @Field(key: "reason") var reason: String
    @Parent(key: "decided_by_id") var decidedBy: Practitioner
    @Field(key: "decided_at") var decidedAt: Date

    /// Listed, not reflected: Fluent would reflect them for every row (issue 16).
    /// `ModelPropertyTests` holds the list to the declarations.
    var properties: [any AnyProperty] {
        [$id, $child, $localAuthority, $withheld, $withheldFrom, $reason, $decidedBy, $decidedAt]
    }
    init() {}
}
