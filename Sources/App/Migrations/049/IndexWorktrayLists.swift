import Fluent
import SQLKit

/// Each worktray list is a page of 25 and a count (issue 16): an LA's episodes newest first,
/// a person's open actions by due date (the actions they own, and those on the episodes
/// they hold), and the meetings not yet held. Without these, each page sorted or
/// scanned every row the list could hold.
struct IndexWorktrayLists: AsyncMigration {
    private static let statements: [SQLQueryString] = [
        "CREATE INDEX episodes_la_opened ON episodes (local_authority_id, opened_at)",
        "CREATE INDEX tac_meetings_to_hold ON tac_meetings (scheduled_at) WHERE held = false",
        """
        CREATE INDEX plan_actions_owner_open_due ON plan_actions (owner_practitioner_id, due_on)
            WHERE status IN ('planned', 'in-progress')
        """,
        """
        CREATE INDEX plan_actions_episode_open_due ON plan_actions (episode_id, due_on)
            WHERE status IN ('planned', 'in-progress')
        """,
    ]

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        for statement in Self.statements { try await sql.raw(statement).run() }
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        for name in [
            "episodes_la_opened", "tac_meetings_to_hold", "plan_actions_owner_open_due", "plan_actions_episode_open_due",
        ] {
            try await sql.drop(index: name).run()
        }
    }
}
