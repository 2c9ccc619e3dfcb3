import Fluent
import Foundation

/// One entry in the audit log: who, in which role, did what, to which child or episode,
/// with what outcome, when (UTC). Written only through `Audit`.
final class AuditEvent: Model, @unchecked Sendable {
    static let schema = "audit_events"

    @ID(key: .id) var id: UUID?
    @Field(key: "occurred_at") var occurredAt: Date
    @OptionalField(key: "actor_id") var actorID: UUID?
    @Field(key: "actor_email") var actorEmail: String
    @Field(key: "actor_roles") var actorRoles: String
    @Field(key: "action") var action: String
    @OptionalField(key: "child_id") var childID: UUID?
    @OptionalField(key: "episode_id") var episodeID: UUID?
    @Field(key: "outcome") var outcome: String
    /// Parameters and reasons, e.g. a search's terms and result ids, or why access was allowed.
    @Field(key: "detail") var detail: String
    /// Position in the hash chain, from 1 with no gaps.
    @Field(key: "sequence") var sequence: Int64
    @Field(key: "previous_hash") var previousHash: String
    /// SHA-256 over this event's content and `previousHash` (see `AuditChain`).
    @Field(key: "hash") var hash: String

    init() {}
}
