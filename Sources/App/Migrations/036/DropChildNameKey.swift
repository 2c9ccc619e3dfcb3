import Fluent
import SQLKit

/// `children.name_key` was written with every name and never read: searches read every name
/// a child is or was known by from `child_names` (migration 011). Issue 14 item 7.
struct DropChildNameKey: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await (database as! any SQLDatabase).raw("ALTER TABLE children DROP COLUMN name_key").run()
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).raw("ALTER TABLE children ADD COLUMN name_key TEXT NOT NULL DEFAULT ''")
            .run()
    }
}
