import CAFCore
import Fluent
import Foundation
import SQLKit

/// Each assessment's levels beside its content, so the measures compare levels without
/// decoding every assessment's text; existing assessments are filled in from their content.
struct AddAssessmentLevels: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("assessments").field("levels", .string, .required, .sql(.default(""))).update()
        try await Self.fill(on: database as! any SQLDatabase)
    }

    /// Writes every assessment's levels from its content, still in clear when this runs: it is
    /// sealed at start-up, after every migration (`SecretSealing`).
    static func fill(on sql: any SQLDatabase) async throws {
        var after: UUID?
        // In pages by id, so a large index is never held in memory at once.
        while true {
            let page: SQLQueryString = after.map { "WHERE id > \(bind: $0) " } ?? ""
            let rows = try await sql.raw("SELECT id, content FROM assessments \(page)ORDER BY id LIMIT 1000").all()
            for row in rows {
                let content = try JSONDecoder().decode(
                    AssessmentContent.self, from: Data(try row.decode(column: "content", as: String.self).utf8))
                try await sql.raw(
                    "UPDATE assessments SET levels = \(bind: content.levelsText) WHERE id = \(bind: try row.decode(column: "id", as: UUID.self))"
                ).run()
            }
            guard let last = rows.last else { break }
            after = try last.decode(column: "id", as: UUID.self)
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema("assessments").deleteField("levels").update()
    }
}
