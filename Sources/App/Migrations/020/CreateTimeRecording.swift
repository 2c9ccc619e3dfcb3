import Fluent
import SQLKit

/// Practitioners' time: quick manual entries, and active editing on the assessment and
/// meeting forms (one row a visit to the form, its active seconds kept up to date).
struct CreateTimeRecording: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("time_entries")
            .id()
            .field("episode_id", .uuid, .required, .references("episodes", "id"))
            .field("practitioner_id", .uuid, .required, .references("practitioners", "id"))
            .field("activity", .string, .required)
            .field("minutes", .int, .required)
            .field("occurred_on", .string, .required)
            .field("recorded_at", .datetime, .required)
            .create()
        try await database.schema("editing_sessions")
            .id()
            .field("episode_id", .uuid, .required, .references("episodes", "id"))
            .field("practitioner_id", .uuid, .required, .references("practitioners", "id"))
            .field("activity", .string, .required)
            .field("assessment_id", .uuid, .references("assessments", "id"))
            .field("started_at", .datetime, .required)
            .field("last_mark_at", .datetime, .required)
            .field("active_seconds", .double, .required)
            .field("marks", .int, .required)
            .field("pinging", .bool, .required)
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "time_entries_episode").on("time_entries").column("episode_id").run()
        try await sql.create(index: "editing_sessions_episode").on("editing_sessions").column("episode_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("editing_sessions").delete()
        try await database.schema("time_entries").delete()
    }
}
