import Fluent
import Foundation
import SQLKit

/// The children an audit entry names beyond its own child: those a search returned, those a
/// review queue showed. A child's trail was found by searching every entry's detail for the
/// child's id (`LIKE '%id%'`), a scan that grew with every search in the country and that
/// typed text could fool; now it is an index lookup on what `Audit.record` was told. Entries
/// from before are linked from their details' own lists (`results=` and `queue:`).
struct CreateAuditChildren: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.raw(
            """
            CREATE TABLE audit_children (
                child_id UUID NOT NULL,
                event_id UUID NOT NULL REFERENCES audit_events (id),
                PRIMARY KEY (child_id, event_id)
            )
            """
        ).run()
        let listing = try await sql.raw(
            """
            SELECT id, action, detail FROM audit_events
            WHERE action IN ('search-children', 'view-review-queue') AND detail <> ''
            """
        ).all()
        for row in listing {
            let event = try row.decode(column: "id", as: UUID.self)
            let detail = try row.decode(column: "detail", as: String.self)
            let list = try row.decode(column: "action", as: String.self) == "search-children" ? "results=" : "queue: "
            guard let start = detail.range(of: list, options: .backwards) else { continue }
            let named = Set(detail[start.upperBound...].split(separator: ",").compactMap { UUID(uuidString: String($0)) })
            for child in named {
                try await sql.raw("INSERT INTO audit_children (child_id, event_id) VALUES (\(bind: child), \(bind: event))").run()
            }
        }
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).raw("DROP TABLE audit_children").run()
    }
}
