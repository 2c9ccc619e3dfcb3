import Fluent
import SQLKit

struct CreateAuditEvents: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("audit_events")
            .id()
            .field("occurred_at", .datetime, .required)
            .field("actor_id", .uuid)
            .field("actor_email", .string, .required)
            .field("actor_roles", .string, .required)
            .field("action", .string, .required)
            .field("child_id", .uuid)
            .field("episode_id", .uuid)
            .field("outcome", .string, .required)
            .field("detail", .string, .required)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "audit_events_child").on("audit_events").column("child_id").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema("audit_events").delete()
    }
}
