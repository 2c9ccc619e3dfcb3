import Fluent
import SQLKit

/// When each step of an episode first happened, kept on the episode by the database's own
/// triggers whenever an assessment, meeting, action or lead professional term is written, so the
/// time-to measures read one indexed column rather than aggregating every table each time.
struct AddEpisodeMilestones: AsyncMigration {
    /// A milestone: its column on `episodes`, and the earliest `time` among the episode's rows
    /// of `table` that meet `condition`.
    struct Milestone {
        let column: String
        let table: String
        let time: String
        var condition: String? = nil

        /// The milestone of the episode `episode` (a column or a trigger's NEW/OLD field).
        func value(of episode: String) -> String {
            "(SELECT min(\(time)) FROM \(table) WHERE episode_id = \(episode)\(condition.map { " AND \($0)" } ?? ""))"
        }
    }

    static let milestones = [
        Milestone(column: "first_assessed_at", table: "assessments", time: "completed_at", condition: "status = 'completed'"),
        Milestone(column: "first_meeting_at", table: "tac_meetings", time: "scheduled_at", condition: "held = TRUE"),
        Milestone(
            column: "first_action_at", table: "plan_actions", time: "coalesce(started_at, completed_at)",
            condition: "status IN ('in-progress', 'done')"),
        Milestone(column: "first_lead_at", table: "lead_professional_terms", time: "started_at"),
    ]

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        let postgres = sql.dialect.name == "postgresql"
        for milestone in Self.milestones {
            try await database.schema("episodes").field(.string(milestone.column), .datetime).update()
            try await sql.create(index: "episodes_\(milestone.column)").on("episodes").column(milestone.column).run()
            // Only when it changes: most writes (a second action, a later review) leave it be.
            let differs = postgres ? "IS DISTINCT FROM" : "IS NOT"
            let update = { (episode: String) in
                "UPDATE episodes SET \(milestone.column) = \(milestone.value(of: episode)) WHERE id = \(episode)"
                    + " AND \(milestone.column) \(differs) \(milestone.value(of: episode));"
            }
            if postgres {
                try await sql.raw(
                    """
                    CREATE FUNCTION keep_\(unsafeRaw: milestone.column)() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN
                      IF TG_OP = 'DELETE' THEN \(unsafeRaw: update("OLD.episode_id")) ELSE \(unsafeRaw: update("NEW.episode_id")) END IF;
                      RETURN NULL;
                    END $$
                    """
                ).run()
                try await sql.raw(
                    """
                    CREATE TRIGGER keep_\(unsafeRaw: milestone.column) AFTER INSERT OR UPDATE OR DELETE ON \(unsafeRaw: milestone.table)
                    FOR EACH ROW EXECUTE FUNCTION keep_\(unsafeRaw: milestone.column)()
                    """
                ).run()
            } else {
                for (event, row) in [("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")] {
                    try await sql.raw(
                        """
                        CREATE TRIGGER keep_\(unsafeRaw: milestone.column)_\(unsafeRaw: event.lowercased()) AFTER \(unsafeRaw: event)
                        ON \(unsafeRaw: milestone.table) BEGIN \(unsafeRaw: update("\(row).episode_id")) END
                        """
                    ).run()
                }
            }
        }
        try await Self.fill(on: sql)
    }

    /// Works out every episode's milestones from its records, in one pass over the episodes.
    static func fill(on sql: any SQLDatabase) async throws {
        let assignments = milestones.map { "\($0.column) = \($0.value(of: "episodes.id"))" }
        try await sql.raw("UPDATE episodes SET \(unsafeRaw: assignments.joined(separator: ", "))").run()
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        let postgres = sql.dialect.name == "postgresql"
        for milestone in Self.milestones {
            if postgres {
                try await sql.raw("DROP TRIGGER keep_\(unsafeRaw: milestone.column) ON \(unsafeRaw: milestone.table)").run()
                try await sql.raw("DROP FUNCTION keep_\(unsafeRaw: milestone.column)()").run()
            } else {
                for event in ["insert", "update", "delete"] {
                    try await sql.raw("DROP TRIGGER keep_\(unsafeRaw: milestone.column)_\(unsafeRaw: event)").run()
                }
            }
            try await sql.drop(index: "episodes_\(milestone.column)").run()
            try await database.schema("episodes").deleteField(.string(milestone.column)).update()
        }
    }
}
