import Fluent
import SQLKit

/// What start-up sealing knows between starts (`SecretSealing`): a canary sealed under the
/// key of the last start, so a wrong key is refused before it seals anything, and which
/// columns are wholly sealed, so that text in clear found there later is refused, not sealed.
struct CreateSealingState: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await (database as! any SQLDatabase).raw(
            "CREATE TABLE sealing_state (name VARCHAR(200) PRIMARY KEY, value TEXT NOT NULL)"
        ).run()
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).raw("DROP TABLE sealing_state").run()
    }
}
