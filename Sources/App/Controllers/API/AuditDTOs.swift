import CAFCore
import Foundation

// The JSON API's shapes for audit trails. Fluent
// models never leave the App layer as JSON: each response is built from them here, so the
// wire format changes only on purpose.

struct AuditEventDTO: Encodable {
    let id: UUID
    let occurredAt: Date
    let actorId: UUID?
    let actorEmail: String
    let actorRoles: [String]
    let action: String
    let childId: UUID?
    let episodeId: UUID?
    let outcome: String
    let detail: String
    /// The order events were written in (the sealed log's own order is `ecaf audit verify`'s).
    let sequence: Int64

    init(_ event: AuditEvent) {
        id = event.id!
        sequence = event.sequence
        occurredAt = event.occurredAt
        actorId = event.actorID
        actorEmail = event.actorEmail
        actorRoles = event.actorRoles.split(separator: ",").map(String.init)
        action = event.action
        childId = event.childID
        episodeId = event.episodeID
        outcome = event.outcome
        detail = event.detail
    }
}

struct AuditDTO: Encodable {
    let events: [AuditEventDTO]
}
