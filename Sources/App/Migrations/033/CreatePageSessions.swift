import Fluent
import SQLKit
import Vapor

/// Page sessions move to a table of their own that says whose each is, so a person can see
/// and end their other sessions (ASVS V3.3.4). Sessions held in the old table end here.
struct CreatePageSessions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(PageSession.schema)
            .id()
            .field("key", .string, .required)
            .field("data", .string, .required)
            .field("practitioner_id", .uuid, .references("practitioners", "id", onDelete: .cascade))
            .field("started_at", .datetime, .required)
            .field("last_seen_at", .datetime, .required)
            .field("device", .string, .required)
            .unique(on: "key")
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "page_sessions_practitioner").on(PageSession.schema).column("practitioner_id").run()
        // Idle sessions are swept by when they were last seen.
        try await sql.create(index: "page_sessions_last_seen").on(PageSession.schema).column("last_seen_at").run()
        try await sql.raw("DROP TABLE _fluent_sessions").run()
    }

    func revert(on database: any Database) async throws {
        try await SessionRecord.migration.prepare(on: database).get()
        try await database.schema(PageSession.schema).delete()
    }
}
