import Fluent
import SQLKit

/// Sessions are kept under their id's digest from now on (`DigestSessions`): those stored
/// under a raw id end, and their holders sign in again. TOTP secrets and unsent e-mail
/// bodies are sealed at start-up (`SecretSealing`), not here, as the key is the server's.
struct KeySessionsByDigest: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await (database as! any SQLDatabase).raw("DELETE FROM _fluent_sessions").run()
    }

    func revert(on database: any Database) async throws {}
}
