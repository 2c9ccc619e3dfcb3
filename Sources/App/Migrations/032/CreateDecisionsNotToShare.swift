import Fluent
import SQLKit

/// Decisions not to share information about a child, each with what was withheld, from whom,
/// and why sharing would have done the child more harm (the Children's Wellbeing and Schools Act
/// 2026's exception to the duty to share). Never changed or deleted.
struct CreateDecisionsNotToShare: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("decisions_not_to_share")
            .id()
            .field("child_id", .uuid, .required, .references("children", "id"))
            .field("local_authority_id", .uuid, .required, .references("local_authorities", "id"))
            .field("withheld", .string, .required)
            .field("withheld_from", .string, .required)
            .field("reason", .string, .required)
            .field("decided_by_id", .uuid, .required, .references("practitioners", "id"))
            .field("decided_at", .datetime, .required)
            .create()
        // The coordinator's list: an LA's decisions, newest first.
        try await (database as! any SQLDatabase).create(index: "decisions_not_to_share_la").on("decisions_not_to_share")
            .column("local_authority_id").column("decided_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("decisions_not_to_share").delete()
    }
}
