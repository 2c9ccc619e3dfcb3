import Fluent
import SQLKit

/// Emergency, time-limited read access to one episode, with the reason given and the
/// coordinator's review.
struct CreateBreakGlassGrants: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("break_glass_grants")
            .id()
            .field("episode_id", .uuid, .required, .references("episodes", "id"))
            .field("local_authority_id", .uuid, .required, .references("local_authorities", "id"))
            .field("practitioner_id", .uuid, .required, .references("practitioners", "id"))
            .field("reason", .string, .required)
            .field("granted_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .field("reviewed_by_id", .uuid, .references("practitioners", "id"))
            .field("reviewed_at", .datetime)
            .field("review_note", .string, .required)
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "break_glass_episode").on("break_glass_grants").column("episode_id").run()
        try await sql.create(index: "break_glass_la").on("break_glass_grants").column("local_authority_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("break_glass_grants").delete()
    }
}
