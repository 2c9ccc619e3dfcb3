import Fluent
import SQLKit

/// Roles one administrator asked for and a second decides (coordinator, safeguarding,
/// la-admin): the whole set asked for, who asked, and the decision.
struct CreateRoleGrants: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("role_grants")
            .id()
            .field("practitioner_id", .uuid, .required, .references("practitioners", "id"))
            .field("local_authority_id", .uuid, .required, .references("local_authorities", "id"))
            .field("roles", .string, .required)
            .field("requested_by_id", .uuid, .required, .references("practitioners", "id"))
            .field("requested_at", .datetime, .required)
            .field("decision", .string, .required)
            .field("decided_by_id", .uuid, .references("practitioners", "id"))
            .field("decided_at", .datetime)
            .field("note", .string, .required)
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "role_grants_queue").on("role_grants").column("local_authority_id").column("decision")
            .run()
        // At most one pending grant an account, so two requests at once cannot both wait.
        try await sql.raw(
            "CREATE UNIQUE INDEX role_grants_one_pending ON role_grants (practitioner_id) WHERE decision = 'pending'"
        ).run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("role_grants").delete()
    }
}
