import Fluent
import SQLKit

/// Pre-assessment checklists and safeguarding calls: how a worry about a child is first
/// decided, and the phone-first path when it is a safeguarding concern.
struct CreatePreAssessments: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("pre_assessments")
            .id()
            .field("child_id", .uuid, .required, .references("children", "id"))
            .field("practitioner_id", .uuid, .required, .references("practitioners", "id"))
            .field("local_authority_id", .uuid, .required, .references("local_authorities", "id"))
            .field("answers", .string, .required)
            .field("decision", .string, .required)
            .field("reason", .string, .required)
            .field("existing_episode_id", .uuid, .references("episodes", "id"))
            .field("recorded_at", .datetime, .required)
            .create()
        try await database.schema("safeguarding_calls")
            .id()
            .field("child_id", .uuid, .required, .references("children", "id"))
            .field("episode_id", .uuid, .references("episodes", "id"))
            .field("pre_assessment_id", .uuid, .references("pre_assessments", "id"))
            .field("caller_id", .uuid, .required, .references("practitioners", "id"))
            .field("local_authority_id", .uuid, .required, .references("local_authorities", "id"))
            .field("called_at", .datetime, .required)
            .field("spoke_to", .string, .required)
            .field("advice", .string, .required)
            .field("advice_note", .string, .required)
            .field("reference", .string, .required)
            .field("follow_up_due", .datetime, .required)
            .field("follow_up_sent_at", .datetime)
            .field("recorded_at", .datetime, .required)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "pre_assessments_child").on("pre_assessments").column("child_id").run()
            try await sql.create(index: "safeguarding_calls_la").on("safeguarding_calls").column("local_authority_id").run()
            try await sql.create(index: "safeguarding_calls_child").on("safeguarding_calls").column("child_id").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema("safeguarding_calls").delete()
        try await database.schema("pre_assessments").delete()
    }
}
