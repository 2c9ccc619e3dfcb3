import Fluent
import SQLKit

/// The action plan: agreed actions with owners, due dates and the needs they address, and
/// the date the plan is next reviewed.
struct CreateActionPlans: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("plan_actions")
            .id()
            .field("episode_id", .uuid, .required, .references("episodes", "id"))
            .field("description", .string, .required)
            .field("element_codes", .string, .required)
            .field("owner_practitioner_id", .uuid, .references("practitioners", "id"))
            .field("owner_agency", .string, .required)
            .field("due_on", .string, .required)
            .field("status", .string, .required)
            .field("outcome_note", .string, .required)
            .field("started_at", .datetime)
            .field("completed_at", .datetime)
            .field("created_by_id", .uuid, .required, .references("practitioners", "id"))
            .field("created_at", .datetime, .required)
            .create()
        try await database.schema("episodes")
            .field("plan_review_on", .string)
            .update()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "plan_actions_episode").on("plan_actions").column("episode_id").run()
            try await sql.create(index: "plan_actions_owner").on("plan_actions").column("owner_practitioner_id").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema("episodes").deleteField("plan_review_on").update()
        try await database.schema("plan_actions").delete()
    }
}
