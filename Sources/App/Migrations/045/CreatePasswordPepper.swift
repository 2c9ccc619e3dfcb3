import Fluent

/// The secret mixed into every password hash (`PasswordPepper`), stored sealed in a row of its
/// own, so the key rotation that seals every secret again takes it too. ASVS V2.4.5.
struct CreatePasswordPepper: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(PasswordPepper.schema).id().field("pepper", .string, .required).create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(PasswordPepper.schema).delete()
    }
}
