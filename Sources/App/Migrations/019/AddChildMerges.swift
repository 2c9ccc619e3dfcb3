import Fluent

/// A record merged into another of the same child keeps its row, pointing at the record that
/// stayed, so old links and the audit trail still lead somewhere; searches skip it.
struct AddChildMerges: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // One column a statement: SQLite adds no more at a time.
        try await database.schema("children").field("merged_into_id", .uuid, .references("children", "id")).update()
        try await database.schema("children").field("merged_at", .datetime).update()
        try await database.schema("children").field("merged_by_id", .uuid, .references("practitioners", "id")).update()
    }

    func revert(on database: any Database) async throws {
        for field in ["merged_by_id", "merged_at", "merged_into_id"] {
            try await database.schema("children").deleteField(.string(field)).update()
        }
    }
}
