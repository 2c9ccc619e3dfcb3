import Fluent
import SQLKit

/// The postcode's outward code ("CB4") in a column of its own, so a search by district is an
/// indexed equality on both databases rather than a LIKE that collations may not index.
struct AddPostcodeDistricts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("children").field("postcode_district", .string).update()
        let sql = database as! any SQLDatabase
        let outward: SQLQueryString =
            sql.dialect.name == "postgresql"
            ? "split_part(postcode, ' ', 1)" : "substr(postcode, 1, instr(postcode, ' ') - 1)"
        try await sql.raw("UPDATE children SET postcode_district = \(outward) WHERE postcode IS NOT NULL").run()
        try await sql.create(index: "children_postcode_district").on("children").column("postcode_district").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("children").deleteField("postcode_district").update()
    }
}
