import Fluent
import Foundation
import SQLKit

/// Numbered the audit log's events and began a hash chain over them, whose one head row every
/// writer updated first. The chain is gone (047 seals the log in batches instead, sealing these
/// events afresh); what stays of this step is the `sequence` each event carries, here given to
/// any event written before it, oldest first.
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
        let existing = try await sql.select().column("id").from("audit_events").orderBy("occurred_at").all()
        for (index, row) in existing.enumerated() {
            try await sql.update("audit_events").set("sequence", to: SQLBind(Int64(index + 1)))
                .where("id", .equal, SQLBind(try row.decode(column: "id", as: UUID.self))).run()
        }
        try await sql.insert(into: "audit_chain").columns("id", "sequence", "hash").values(
            SQLBind(1), SQLBind(Int64(existing.count)), SQLBind(String(repeating: "0", count: 64))
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
