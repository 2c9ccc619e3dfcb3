import Fluent
import SQLKit

/// Makes the audit log tamper-evident: each event carries a sequence number and a SHA-256
/// hash over its content and the previous event's hash. One head row holds the chain's
/// end; updating it first serialises writers on both databases.
struct ChainAuditEvents: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("audit_events").field("sequence", .int64, .required, .sql(.default(0))).update()
        try await database.schema("audit_events").field("previous_hash", .string, .required, .sql(.default(""))).update()
        try await database.schema("audit_events").field("hash", .string, .required, .sql(.default(""))).update()
        try await database.schema("audit_chain")
            .field("id", .int, .identifier(auto: false))
            .field("sequence", .int64, .required)
            .field("hash", .string, .required)
            .create()
        let sql = database as! any SQLDatabase
        // Chain whatever was logged before this migration, oldest first.
        var previous = AuditChain.genesis
        var sequence: Int64 = 0
        let existing = try await AuditEvent.query(on: database).sort(\.$occurredAt).all()
        for event in existing {
            sequence += 1
            event.sequence = sequence
            event.previousHash = previous
            event.hash = AuditChain.hash(of: event, previous: previous)
            try await event.save(on: database)
            previous = event.hash
        }
        try await sql.insert(into: "audit_chain").columns("id", "sequence", "hash").values(
            SQLBind(1), SQLBind(sequence), SQLBind(previous)
        )
        .run()
        try await sql.create(index: "audit_events_sequence").unique().on("audit_events").column("sequence").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("audit_chain").delete()
        for column in ["hash", "previous_hash", "sequence"] {
            try await database.schema("audit_events").deleteField(.string(column)).update()
        }
    }
}
