import Fluent
import Foundation

/// Emergency read access to one episode for a stated reason, until it expires.
final class BreakGlassGrant: Model, @unchecked Sendable {
    static let schema = "break_glass_grants"

    @ID(key: .id) var id: UUID?
    @Parent(key: "episode_id") var episode: Episode
    /// The episode's LA, whose coordinators review the grant.
    @Parent(key: "local_authority_id") var localAuthority: LocalAuthority
    @Parent(key: "practitioner_id") var practitioner: Practitioner
    @Field(key: "reason") var reason: String
    @Field(key: "granted_at") var grantedAt: Date
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalParent(key: "reviewed_by_id") var reviewedBy: Practitioner?
    @OptionalField(key: "reviewed_at") var reviewedAt: Date?
    @Field(key: "review_note") var reviewNote: String

    /// Listed, not reflected: Fluent would reflect them for every row (issue 16).
    /// `ModelPropertyTests` holds the list to the declarations.
    var properties: [any AnyProperty] {
        [$id, $episode, $localAuthority, $practitioner, $reason, $grantedAt, $expiresAt, $reviewedBy, $reviewedAt, $reviewNote]
    }
    init() {}
    init(episode: Episode, practitionerID: UUID, reason: String, lasting duration: TimeInterval) {
        self.$episode.id = episode.id!
        self.$localAuthority.id = episode.$localAuthority.id
        self.$practitioner.id = practitionerID
        self.reason = reason
        self.grantedAt = Date()
        self.expiresAt = grantedAt.addingTimeInterval(duration)
        self.reviewNote = ""
    }
}
