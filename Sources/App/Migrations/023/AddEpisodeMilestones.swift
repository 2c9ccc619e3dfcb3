import CAFCore
import Fluent
import SQLKit

/// When each step of an episode first happened, kept on the episode by the database's own
/// triggers whenever an assessment, meeting, action or lead professional term is written, so the
/// time-to measures read one indexed column rather than aggregating every table each time.
/// The columns only: the triggers are made from the current rules after every migration
/// (`MilestoneTriggers`; issue 14 item 1). This migration made them from its own copy of the
/// rules until then, and databases migrated before keep those, equal to the current.
struct AddEpisodeMilestones: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        for milestone in Milestone.allCases {
            try await database.schema("episodes").field(.string(milestone.column), .datetime).update()
            try await sql.create(index: "episodes_\(milestone.column)").on("episodes").column(milestone.column).run()
        }
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        for milestone in Milestone.allCases {
            try await MilestoneTriggers.drop(milestone, on: sql)
            try await sql.drop(index: "episodes_\(milestone.column)").run()
            try await database.schema("episodes").deleteField(.string(milestone.column)).update()
        }
    }
}
