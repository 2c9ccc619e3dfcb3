import Fluent
import SQLKit

/// Where a child lives and who sees them day to day (address with its history, school, GP
/// practice, a contact number), the shield that hides all of it, and overrides of that shield.
struct AddWhereabouts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("children").field("shielded", .bool, .required, .sql(.default(false))).update()
        for field in ["address", "school", "gp_practice", "contact_phone"] {
            try await database.schema("children").field(.string(field), .string).update()
        }
        try await database.schema("child_addresses")
            .id()
            .field("child_id", .uuid, .required, .references("children", "id"))
            .field("address", .string, .required)
            .field("postcode", .string)
            .field("moved_in", .string)
            .field("moved_out", .string)
            .field("recorded_by_id", .uuid, .required, .references("practitioners", "id"))
            .field("created_at", .datetime)
            .create()
        try await database.schema("shield_overrides")
            .id()
            .field("child_id", .uuid, .required, .references("children", "id"))
            .field("local_authority_id", .uuid, .required, .references("local_authorities", "id"))
            .field("practitioner_id", .uuid, .required, .references("practitioners", "id"))
            .field("reason", .string, .required)
            .field("credential", .string, .required)
            .field("taken_at", .datetime, .required)
            .field("reviewed_by_id", .uuid, .references("practitioners", "id"))
            .field("reviewed_at", .datetime)
            .field("review_note", .string, .required)
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "child_addresses_child").on("child_addresses").column("child_id").run()
        try await sql.create(index: "shield_overrides_child").on("shield_overrides").column("child_id").run()
        try await sql.create(index: "shield_overrides_la").on("shield_overrides").column("local_authority_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("shield_overrides").delete()
        try await database.schema("child_addresses").delete()
        for field in ["contact_phone", "gp_practice", "school", "address", "shielded"] {
            try await database.schema("children").deleteField(.string(field)).update()
        }
    }
}
