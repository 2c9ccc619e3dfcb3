import Fluent

/// Each account's TOTP secret (base32) once enrolled, and the last step a code was used
/// for, so each code signs in once only.
struct AddTwoFactor: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("practitioners").field("totp_secret", .string).update()
        try await database.schema("practitioners").field("totp_last_step", .int64).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("practitioners").deleteField("totp_last_step").update()
        try await database.schema("practitioners").deleteField("totp_secret").update()
    }
}
