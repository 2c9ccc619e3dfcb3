import Fluent
import SQLKit

/// Each signed-in person's requests in the current window (`RequestAllowance`): one row a
/// person, counted and checked by one upsert. The window's start is epoch milliseconds, so
/// both databases compare it alike; a person's row is reset when a new window begins.
/// `alerted` is 1 once their coordinators have been told this window.
struct CreateRequestCounts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await (database as! any SQLDatabase).raw(
            """
            CREATE TABLE request_counts (
                practitioner_id UUID PRIMARY KEY REFERENCES practitioners (id) ON DELETE CASCADE,
                window_start BIGINT NOT NULL,
                requests INTEGER NOT NULL,
                alerted INTEGER NOT NULL
            )
            """
        ).run()
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).raw("DROP TABLE request_counts").run()
    }
}
