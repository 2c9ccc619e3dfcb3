import Fluent
import SQLKit

/// The team around the child: family members by name, TAC meetings with who was invited
/// and who came (by agency), and every lead professional's term.
struct CreateTeamAroundTheChild: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("family_members")
            .id()
            .field("episode_id", .uuid, .required, .references("episodes", "id"))
            .field("name", .string, .required)
            .field("relationship", .string, .required)
            .field("added_by_id", .uuid, .required, .references("practitioners", "id"))
            .field("added_at", .datetime, .required)
            .create()
        try await database.schema("tac_meetings")
            .id()
            .field("episode_id", .uuid, .required, .references("episodes", "id"))
            .field("scheduled_at", .datetime, .required)
            .field("place", .string, .required)
            .field("held", .bool, .required)
            .field("minutes", .string, .required)
            .field("decisions", .string, .required)
            .field("created_by_id", .uuid, .required, .references("practitioners", "id"))
            .field("recorded_at", .datetime)
            .create()
        try await database.schema("tac_invitations")
            .id()
            .field("meeting_id", .uuid, .required, .references("tac_meetings", "id"))
            .field("practitioner_id", .uuid, .references("practitioners", "id"))
            .field("family_member_id", .uuid, .references("family_members", "id"))
            .field("name", .string, .required)
            .field("agency_type", .string)
            .field("attendance", .string, .required)
            .create()
        try await database.schema("lead_professional_terms")
            .id()
            .field("episode_id", .uuid, .required, .references("episodes", "id"))
            .field("practitioner_id", .uuid, .required, .references("practitioners", "id"))
            .field("organisation", .string, .required)
            .field("agency_type", .string, .required)
            .field("basis", .string, .required)
            .field("meeting_id", .uuid, .references("tac_meetings", "id"))
            .field("handover_note", .string, .required)
            .field("assigned_by_id", .uuid, .required, .references("practitioners", "id"))
            .field("started_at", .datetime, .required)
            .field("ended_at", .datetime)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "family_members_episode").on("family_members").column("episode_id").run()
            try await sql.create(index: "tac_meetings_episode").on("tac_meetings").column("episode_id").run()
            try await sql.create(index: "tac_invitations_meeting").on("tac_invitations").column("meeting_id").run()
            try await sql.create(index: "lead_terms_episode").on("lead_professional_terms").column("episode_id").run()
        }
    }

    func revert(on database: any Database) async throws {
        for table in ["lead_professional_terms", "tac_invitations", "tac_meetings", "family_members"] {
            try await database.schema(table).delete()
        }
    }
}
