import Fluent
import SQLKit

/// CAF episodes with their consent, assessment versions and named shares.
struct CreateEpisodes: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("episodes")
            .id()
            .field("child_id", .uuid, .required, .references("children", "id"))
            .field("local_authority_id", .uuid, .required, .references("local_authorities", "id"))
            .field("author_id", .uuid, .required, .references("practitioners", "id"))
            .field("lead_professional_id", .uuid, .references("practitioners", "id"))
            .field("status", .string, .required)
            .field("opened_at", .datetime, .required)
            .create()
        try await database.schema("consents")
            .id()
            .field("episode_id", .uuid, .required, .references("episodes", "id"))
            .field("given_by", .string, .required)
            .field("name", .string, .required)
            .field("relationship", .string, .required)
            .field("method", .string, .required)
            .field("scope_store", .bool, .required)
            .field("scope_share_agency_types", .string, .required)
            .field("recorded_by_id", .uuid, .required, .references("practitioners", "id"))
            .field("recorded_at", .datetime, .required)
            .create()
        try await database.schema("assessments")
            .id()
            .field("episode_id", .uuid, .required, .references("episodes", "id"))
            .field("version", .int, .required)
            .field("status", .string, .required)
            .field("content", .string, .required)
            .field("author_id", .uuid, .required, .references("practitioners", "id"))
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .field("completed_at", .datetime)
            .unique(on: "episode_id", "version")
            .create()
        try await database.schema("episode_shares")
            .id()
            .field("episode_id", .uuid, .required, .references("episodes", "id"))
            .field("practitioner_id", .uuid, .required, .references("practitioners", "id"))
            .field("shared_by_id", .uuid, .required, .references("practitioners", "id"))
            .field("shared_at", .datetime, .required)
            .unique(on: "episode_id", "practitioner_id")
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "episodes_child").on("episodes").column("child_id").run()
            try await sql.create(index: "consents_episode").on("consents").column("episode_id").run()
        }
    }

    func revert(on database: any Database) async throws {
        for table in ["episode_shares", "assessments", "consents", "episodes"] {
            try await database.schema(table).delete()
        }
    }
}
