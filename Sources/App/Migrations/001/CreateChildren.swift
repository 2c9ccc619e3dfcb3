import Fluent
import SQLKit

/// The child index: basic details only.
struct CreateChildren: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("children")
            .id()
            .field("given_name", .string, .required)
            .field("family_name", .string, .required)
            .field("name_key", .string, .required)
            .field("date_of_birth", .string, .required)
            .field("gender", .string)
            .field("postcode", .string)
            .field("local_authority_id", .uuid, .required, .references("local_authorities", "id"))
            .field("registered_by_id", .uuid, .required, .references("practitioners", "id"))
            .field("created_at", .datetime)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "children_date_of_birth").on("children").column("date_of_birth").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema("children").delete()
    }
}
