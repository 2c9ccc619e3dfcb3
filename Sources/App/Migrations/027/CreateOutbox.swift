import Fluent
import Foundation
import SQLKit

/// E-mail waiting to go (written in the same transaction as the change it tells of), the
/// one-time links e-mails carry (their digests only), and when each account's holder last
/// chose their own password. Accounts made before this had their first password chosen by
/// an administrator: only those with a second factor set up (so their holder has signed in
/// and proved their phone) count as set; the rest need a new account link.
struct CreateOutbox: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("outbox_messages")
            .id()
            .field("message_id", .string, .required)
            .field("recipient", .string, .required)
            .field("subject", .string, .required)
            .field("body", .string, .required)
            .field("created_at", .datetime, .required)
            .field("attempts", .int, .required)
            .field("next_attempt_at", .datetime, .required)
            .field("sent_at", .datetime)
            .field("gave_up_at", .datetime)
            .field("last_error", .string)
            .unique(on: "message_id")
            .create()
        let sql = database as! any SQLDatabase
        // The postman's question: what is due and not yet sent.
        try await sql.raw(
            "CREATE INDEX outbox_due ON outbox_messages (next_attempt_at) WHERE sent_at IS NULL AND gave_up_at IS NULL"
        ).run()

        try await database.schema("credential_links")
            .id()
            .field("token_hash", .string, .required)
            .field("practitioner_id", .uuid, .required, .references("practitioners", "id"))
            .field("purpose", .string, .required)
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .field("used_at", .datetime)
            .unique(on: "token_hash")
            .create()
        try await sql.create(index: "credential_links_holder").on("credential_links").column("practitioner_id").run()

        try await database.schema("practitioners").field("password_set_at", .datetime).update()
        try await database.schema("practitioners").field("two_factor_reset_at", .datetime).update()
        try await sql.raw("UPDATE practitioners SET password_set_at = \(bind: Date()) WHERE totp_secret IS NOT NULL").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("practitioners").deleteField("two_factor_reset_at").update()
        try await database.schema("practitioners").deleteField("password_set_at").update()
        try await database.schema("credential_links").delete()
        try await database.schema("outbox_messages").delete()
    }
}
