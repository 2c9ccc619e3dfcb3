import Fluent
import SQLKit

/// Security keys (WebAuthn): each person's, with what checks its answers. A key's credential
/// id is unique across accounts, so one key answers for one account only. Each account
/// counts its keys, kept in the transaction that adds or removes one: every sign-in and
/// account page asks whether there is a second factor, and reads the account anyway.
struct CreateSecurityKeys: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("practitioners")
            .field("security_key_count", .int, .required, .sql(.default(0)))
            .update()
        try await database.schema("security_keys")
            .id()
            .field("practitioner_id", .uuid, .required, .references("practitioners", "id"))
            .field("credential_id", .string, .required)
            .field("public_key", .string, .required)
            .field("sign_count", .int64, .required)
            .field("name", .string, .required)
            .field("created_at", .datetime, .required)
            .field("last_used_at", .datetime)
            .unique(on: "credential_id")
            .create()
        try await (database as! any SQLDatabase).create(index: "security_keys_practitioner").on("security_keys")
            .column("practitioner_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("security_keys").delete()
        try await database.schema("practitioners").deleteField("security_key_count").update()
    }
}
