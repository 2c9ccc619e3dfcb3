import Fluent
import SQLKit

/// A person's episodes are found by who wrote, leads or was named on them: every worktray
/// asks, and without these each asking read every episode in the country (issue 16).
struct IndexEpisodeTeams: AsyncMigration {
    private static let indexes = [
        ("episodes_author", "episodes", "author_id"),
        ("episodes_lead_professional", "episodes", "lead_professional_id"),
        ("episode_shares_practitioner", "episode_shares", "practitioner_id"),
    ]

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        for (name, table, column) in Self.indexes { try await sql.create(index: name).on(table).column(column).run() }
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        for (name, _, _) in Self.indexes { try await sql.drop(index: name).run() }
    }
}
