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
    /// SHA-256 of `detail` as written: what the event's leaf commits to, so a detail purged
    /// later leaves the log verifiable (docs/audit.md).
    @Field(key: "detail_digest") var detailDigest: String
    /// The other children the event is about (those a search returned, a queue showed), as a
    /// JSON array of their ids, sorted: sealed with the event, and indexed in `audit_children`.
    @Field(key: "named_children") var namedChildren: String
    /// The order events were written in, given by the database (with gaps on PostgreSQL,
    /// where a rolled-back transaction's number is not reused); the sealer's order is its own.
    @Field(key: "sequence") var sequence: Int64

    /// Listed, not reflected: Fluent would reflect them for every row (issue 16).
    /// `ModelPropertyTests` holds the list to the declarations.
    var properties: [any AnyProperty] {
        [
            $id, $occurredAt, $actorID, $actorEmail, $actorRoles, $action, $childID, $episodeID, $outcome, $detail, $detailDigest,
            $namedChildren, $sequence,
        ]
    }
    init() {}
}

/// One batch of the sealed log (docs/audit.md): written only by `AuditSealer`, never changed.
final class AuditSeal: Model, @unchecked Sendable {
    static let schema = "audit_seals"

    /// The batch's number, from 1 with no gaps.
    @ID(custom: "batch", generatedBy: .user) var id: Int64?
    /// The log position (from 0) of the batch's first event, and how many it holds.
    @Field(key: "first_position") var firstPosition: Int64
    @Field(key: "size") var size: Int64
    /// The Merkle tree hash of the batch's leaves, and the keyed head chaining it to the last.
    @Field(key: "root") var root: String
    @Field(key: "head") var head: String
    /// How far the sealer has read: on PostgreSQL the transaction id and sequence of the
    /// batch's last event, on SQLite its sequence (transaction id 0).
    @Field(key: "through_transaction") var throughTransaction: Int64
    @Field(key: "through_sequence") var throughSequence: Int64
    @Field(key: "sealed_at") var sealedAt: Date
    /// Ed25519 over the batch's checkpoint text (`AuditFormat.checkpointText`).
    @Field(key: "signature") var signature: String

    /// Listed, not reflected: Fluent would reflect them for every row (issue 16).
    /// `ModelPropertyTests` holds the list to the declarations.
    var properties: [any AnyProperty] {
        [$id, $firstPosition, $size, $root, $head, $throughTransaction, $throughSequence, $sealedAt, $signature]
    }
    init() {}

    /// Where the sealer had read to when it made this batch.
    var cursor: AuditSealer.Cursor { AuditSealer.Cursor(writtenIn: throughTransaction, sequence: throughSequence) }

    var checkpointText: String {
        AuditFormat.checkpointText(batch: id ?? 0, size: firstPosition + size, head: head, sealedAt: sealedAt)
    }
}
