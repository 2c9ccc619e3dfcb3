import Fluent

/// When an account's credentials last changed (a second factor reset): page sessions begun
/// before then end, as its API tokens do.
struct AddCredentialsChangedAt: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("practitioners").field("credentials_changed_at", .datetime).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("practitioners").deleteField("credentials_changed_at").update()
    }
}
