import Fluent
import SQLKit

/// The services involved with a child, each recorded by that service, some sensitive.
struct CreateInvolvements: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("child_involvements")
            .id()
            .field("child_id", .uuid, .required, .references("children", "id"))
            .field("organisation_id", .uuid, .required, .references("organisations", "id"))
            .field("service", .string, .required)
            .field("role", .string, .required)
            .field("practitioner_name", .string, .required)
            .field("started_on", .string, .required)
            .field("ended_on", .string)
            .field("sensitive", .string)
            .field("recorded_by_id", .uuid, .required, .references("practitioners", "id"))
            .field("created_at", .datetime)
            .create()
        try await (database as! any SQLDatabase).create(index: "child_involvements_child").on("child_involvements")
            .column("child_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("child_involvements").delete()
    }
}
