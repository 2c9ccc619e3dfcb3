import Fluent

/// Unborn babies on the index: `date_of_birth` holds the expected date of delivery until
/// the birth is recorded.
struct AddUnborn: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("children").field("unborn", .bool, .required, .sql(.default(false))).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("children").deleteField("unborn").update()
    }
}
