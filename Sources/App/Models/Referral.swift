import CAFCore
import Fluent
import Foundation

/// A step-up referral to the LA's children's social care, and their decision.
final class Referral: Model, @unchecked Sendable {
    static let schema = "referrals"

    @ID(key: .id) var id: UUID?
    @Parent(key: "episode_id") var episode: Episode
    @Parent(key: "local_authority_id") var localAuthority: LocalAuthority
    @Parent(key: "referred_by_id") var referredBy: Practitioner
    @Field(key: "referred_at") var referredAt: Date
    @Field(key: "note") var note: String
    @Enum(key: "decision") var decision: ReferralDecision
    @OptionalParent(key: "decided_by_id") var decidedBy: Practitioner?
    @OptionalField(key: "decided_at") var decidedAt: Date?
    @Field(key: "decision_reason") var decisionReason: String

    /// Listed, not reflected: Fluent would reflect them for every row (issue 16).
    /// `ModelPropertyTests` holds the list to the declarations.
    var properties: [any AnyProperty] {
        [$id, $episode, $localAuthority, $referredBy, $referredAt, $note, $decision, $decidedBy, $decidedAt, $decisionReason]
    }
    init() {}
    init(episode: Episode, referredByID: UUID, note: String, at date: Date) {
        self.$episode.id = episode.id!
        self.$localAuthority.id = episode.$localAuthority.id
        self.$referredBy.id = referredByID
        self.referredAt = date
        self.note = note
        self.decision = .pending
        self.decisionReason = ""
    }
}

/// A closed episode opened again, with why.
final class EpisodeReopening: Model, @unchecked Sendable {
    static let schema = "episode_reopenings"

    @ID(key: .id) var id: UUID?
    @Parent(key: "episode_id") var episode: Episode
    @Parent(key: "reopened_by_id") var reopenedBy: Practitioner
    @Field(key: "reopened_at") var reopenedAt: Date
    @Field(key: "reason") var reason: String
    @Enum(key: "previous_closure_reason") var previousClosureReason: ClosureReason

    /// Listed, not reflected: Fluent would reflect them for every row (issue 16).
    /// `ModelPropertyTests` holds the list to the declarations.
    var properties: [any AnyProperty] { [$id, $episode, $reopenedBy, $reopenedAt, $reason, $previousClosureReason] }
    init() {}
    init(episodeID: UUID, reopenedByID: UUID, reason: String, previous: ClosureReason) {
        self.$episode.id = episodeID
        self.$reopenedBy.id = reopenedByID
        self.reopenedAt = Date()
        self.reason = reason
        self.previousClosureReason = previous
    }
}
