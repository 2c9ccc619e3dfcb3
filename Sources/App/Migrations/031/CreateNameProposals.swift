import Fluent
import SQLKit

/// Corrections to a child's name proposed by someone outside the child's team, for a
/// coordinator of the child's LA to accept or refuse. Kept whatever the decision.
struct CreateNameProposals: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("name_proposals")
            .id()
            .field("child_id", .uuid, .required, .references("children", "id"))
            .field("local_authority_id", .uuid, .required, .references("local_authorities", "id"))
            .field("kind", .string, .required)
            .field("given_name", .string, .required)
            .field("family_name", .string, .required)
            .field("reason", .string, .required)
            .field("proposed_by_id", .uuid, .required, .references("practitioners", "id"))
            .field("proposed_at", .datetime, .required)
            .field("decision", .string, .required)
            .field("decided_by_id", .uuid, .references("practitioners", "id"))
            .field("decided_at", .datetime)
            .field("decision_note", .string, .required)
            .create()
        // The coordinator's queue: undecided proposals of one LA.
        try await (database as! any SQLDatabase).create(index: "name_proposals_queue").on("name_proposals")
            .column("local_authority_id").column("decision").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("name_proposals").delete()
    }
}
