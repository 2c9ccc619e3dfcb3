import Fluent
import SQLKit

/// Closure with its reason, step-up referrals to children's social care with their
/// decision, reopenings, and the handover note of an episode stepped down from social care.
struct CreateClosures: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("episodes").field("closed_at", .datetime).update()
        try await database.schema("episodes").field("closure_reason", .string).update()
        try await database.schema("episodes").field("closure_note", .string, .required, .sql(.default(""))).update()
        try await database.schema("episodes").field("step_down_note", .string).update()
        try await database.schema("referrals")
            .id()
            .field("episode_id", .uuid, .required, .references("episodes", "id"))
            .field("local_authority_id", .uuid, .required, .references("local_authorities", "id"))
            .field("referred_by_id", .uuid, .required, .references("practitioners", "id"))
            .field("referred_at", .datetime, .required)
            .field("note", .string, .required)
            .field("decision", .string, .required)
            .field("decided_by_id", .uuid, .references("practitioners", "id"))
            .field("decided_at", .datetime)
            .field("decision_reason", .string, .required)
            .create()
        try await database.schema("episode_reopenings")
            .id()
            .field("episode_id", .uuid, .required, .references("episodes", "id"))
            .field("reopened_by_id", .uuid, .required, .references("practitioners", "id"))
            .field("reopened_at", .datetime, .required)
            .field("reason", .string, .required)
            .field("previous_closure_reason", .string, .required)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "referrals_episode").on("referrals").column("episode_id").run()
            try await sql.create(index: "referrals_la_decision").on("referrals").column("local_authority_id").column("decision")
                .run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema("episode_reopenings").delete()
        try await database.schema("referrals").delete()
        for column in ["step_down_note", "closure_note", "closure_reason", "closed_at"] {
            try await database.schema("episodes").deleteField(.string(column)).update()
        }
    }
}
