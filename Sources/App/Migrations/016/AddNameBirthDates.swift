import Fluent
import SQLKit

/// Each name carries the child's date of birth, so "Smith born in 2015" intersects two
/// indexes on one table instead of joining two large sets across tables.
struct AddNameBirthDates: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("child_names").field("date_of_birth", .string).update()
        let sql = database as! any SQLDatabase
        try await sql.raw(
            """
            UPDATE child_names SET date_of_birth = (SELECT c.date_of_birth FROM children c WHERE c.id = child_names.child_id)
            """
        ).run()
        try await sql.create(index: "child_names_date_of_birth").on("child_names").column("date_of_birth").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("child_names").deleteField("date_of_birth").update()
    }
}
