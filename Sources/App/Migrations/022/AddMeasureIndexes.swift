import Fluent
import SQLKit

/// Indexes for the measures: each step's first time per episode read from an index alone
/// (the assessments table is wide with content), and each period's rows found by their date
/// rather than by reading every year's.
struct AddMeasureIndexes: AsyncMigration {
    static let indexes: [(name: String, table: String, columns: [String])] = [
        ("assessments_episode_completed", "assessments", ["episode_id", "status", "completed_at", "version"]),
        ("assessments_completed", "assessments", ["completed_at"]),
        ("tac_meetings_episode_held", "tac_meetings", ["episode_id", "held", "scheduled_at"]),
        ("tac_meetings_scheduled", "tac_meetings", ["scheduled_at"]),
        ("plan_actions_episode_started", "plan_actions", ["episode_id", "status", "started_at", "completed_at"]),
        ("plan_actions_due", "plan_actions", ["due_on"]),
        ("lead_terms_episode_started", "lead_professional_terms", ["episode_id", "started_at"]),
        ("episodes_la_closed", "episodes", ["local_authority_id", "closed_at"]),
        ("pre_assessments_la_recorded", "pre_assessments", ["local_authority_id", "recorded_at"]),
        ("safeguarding_calls_la_called", "safeguarding_calls", ["local_authority_id", "called_at"]),
        ("referrals_decided", "referrals", ["decided_at"]),
        ("time_entries_occurred", "time_entries", ["occurred_on"]),
        ("editing_sessions_started", "editing_sessions", ["started_at"]),
        ("editing_sessions_assessment", "editing_sessions", ["assessment_id"]),
    ]

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        for index in Self.indexes {
            let create = sql.create(index: index.name).on(index.table)
            for column in index.columns { _ = create.column(column) }
            try await create.run()
        }
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        for index in Self.indexes { try await sql.drop(index: index.name).run() }
    }
}
