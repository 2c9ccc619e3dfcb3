import Fluent

/// Whether this database was made for the demo, recorded once when it is first used
/// (`DatabaseKind`), so `--demo` never seeds all-powerful personas into a real one.
struct CreateDatabaseKind: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("database_kind")
            .id()
            .field("demo", .bool, .required)
            .field("recorded_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("database_kind").delete()
    }
}
