import Fluent
import SQLKit

/// NHS numbers and Unique Pupil Numbers on the index, searchable exactly.
struct AddChildIdentifiers: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("children").field("nhs_number", .string).update()
        try await database.schema("children").field("upn", .string).update()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "children_nhs_number").on("children").column("nhs_number").run()
        try await sql.create(index: "children_upn").on("children").column("upn").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("children").deleteField("upn").update()
        try await database.schema("children").deleteField("nhs_number").update()
    }
}
