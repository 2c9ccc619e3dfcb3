import Fluent
import SQLKit

/// Sign-in attempts counted per key (an account from one client address, an address across
/// accounts, an account from anywhere): the key's digest is the primary key, so the count
/// and the check are one indexed upsert, which says in `granted` whether the attempt may go. Times are epoch milliseconds, so both databases do
/// the arithmetic in SQL alike. Replaces counting failed sign-ins in the audit log.
struct CreateSignInThrottles: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await (database as! any SQLDatabase).raw(
            """
            CREATE TABLE sign_in_throttles (
                key_hash TEXT PRIMARY KEY,
                attempts INTEGER NOT NULL,
                next_allowed_at BIGINT NOT NULL,
                granted INTEGER NOT NULL,
                refusals INTEGER NOT NULL,
                updated_at BIGINT NOT NULL
            )
            """
        ).run()
        // For sweeping out keys quiet for a window.
        try await (database as! any SQLDatabase).raw("CREATE INDEX sign_in_throttles_quiet ON sign_in_throttles (updated_at)")
            .run()
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).raw("DROP TABLE sign_in_throttles").run()
    }
}
