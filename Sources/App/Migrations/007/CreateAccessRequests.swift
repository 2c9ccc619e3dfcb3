import Fluent
import SQLKit

/// Requests from practitioners outside a team to join it, and the decision on each.
struct CreateAccessRequests: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("access_requests")
            .id()
            .field("episode_id", .uuid, .required, .references("episodes", "id"))
            .field("requester_id", .uuid, .required, .references("practitioners", "id"))
            .field("reason", .string, .required)
            .field("status", .string, .required)
            .field("requested_at", .datetime, .required)
            .field("decided_by_id", .uuid, .references("practitioners", "id"))
            .field("decided_at", .datetime)
            .field("decision_note", .string, .required)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "access_requests_episode").on("access_requests").column("episode_id").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema("access_requests").delete()
    }
}
