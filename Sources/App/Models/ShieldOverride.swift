import Fluent
import Foundation

/// Someone saw a shielded child's whereabouts for a stated safeguarding reason. Lasts while
/// the session or token it was taken with lasts; reviewed by the LA's coordinators.
final class ShieldOverride: Model, @unchecked Sendable {
    static let schema = "shield_overrides"

    @ID(key: .id) var id: UUID?
    @Parent(key: "child_id") var child: Child
    /// The child's LA, whose coordinators review the override.
    @Parent(key: "local_authority_id") var localAuthority: LocalAuthority
    @Parent(key: "practitioner_id") var practitioner: Practitioner
    @Field(key: "reason") var reason: String
    /// SHA-256 of the session id or bearer token it was taken with; it ends with them.
    @Field(key: "credential") var credential: String
    @Field(key: "taken_at") var takenAt: Date
    @OptionalParent(key: "reviewed_by_id") var reviewedBy: Practitioner?
    @OptionalField(key: "reviewed_at") var reviewedAt: Date?
    @Field(key: "review_note") var reviewNote: String

    /// Listed, not reflected: Fluent would reflect them for every row (issue 16).
    /// `ModelPropertyTests` holds the list to the declarations.
    var properties: [any AnyProperty] {
        [$id, $child, $localAuthority, $practitioner, $reason, $credential, $takenAt, $reviewedBy, $reviewedAt, $reviewNote]
    }
    init() {}
    init(child: Child, practitionerID: UUID, reason: String, credential: String) {
        self.$child.id = child.id!
        self.$localAuthority.id = child.$localAuthority.id
        self.$practitioner.id = practitionerID
        self.reason = reason
        self.credential = credential
        self.takenAt = Date()
        self.reviewNote = ""
    }
}
