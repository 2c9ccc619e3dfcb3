import Fluent
import Foundation
import SQLKit

/// The children an audit entry names beyond its own child: those a search returned, those a
/// review queue showed. A child's trail was found by searching every entry's detail for the
/// child's id (`LIKE '%id%'`), a scan that grew with every search in the country and that
/// typed text could fool; now it is an index lookup on what `Audit.record` was told. Entries
/// from before are linked from their details' own lists (`results=`, `queue:` and a refused
/// registration's `duplicates=`). An instance of the release before, still serving while this
/// one migrates, writes entries without links: stop the old release before starting this one.
struct CreateAuditChildren: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        // Safe to run again after a failure part-way: the table and links already made stay.
        try await sql.raw(
            """
            CREATE TABLE IF NOT EXISTS audit_children (
                child_id UUID NOT NULL,
                event_id UUID NOT NULL REFERENCES audit_events (id),
                PRIMARY KEY (child_id, event_id)
            )
            """
        ).run()
        try await Self.backfill(on: database)
    }

    /// Links the entries written before, a thousand at a time in order, each batch in one
    /// transaction: a national audit log is never held in memory whole.
    static func backfill(on database: any Database) async throws {
        let lists = ["search-children": "results=", "view-review-queue": "queue: ", "register-child": "duplicates="]
        var after: Int64 = -1
        while true {
            let rows = try await (database as! any SQLDatabase).raw(
                """
                SELECT id, sequence, action, detail FROM audit_events
                WHERE sequence > \(bind: after) AND action IN ('search-children', 'view-review-queue', 'register-child')
                ORDER BY sequence LIMIT 1000
                """
            ).all()
            guard let last = rows.last else { return }
            after = try last.decode(column: "sequence", as: Int64.self)
            try await database.transaction { db in
                for row in rows {
                    let detail = try row.decode(column: "detail", as: String.self)
                    guard let list = lists[try row.decode(column: "action", as: String.self)],
                        let start = detail.range(of: list, options: .backwards)
                    else { continue }
                    let named = Set(
                        detail[start.upperBound...].split(separator: ",").compactMap { UUID(uuidString: String($0)) })
                    try await linkChildren(
                        of: try row.decode(column: "id", as: UUID.self), named, on: db as! any SQLDatabase)
                }
            }
        }
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).raw("DROP TABLE audit_children").run()
    }

    /// Records that an entry names these children, 500 to a statement (well inside either
    /// database's limit on bound values, however long a queue grows); a link already there
    /// is left as it is, so a backfill may run again.
    private static func linkChildren(of event: UUID, _ children: Set<UUID>, on sql: any SQLDatabase) async throws {
        let sorted = children.sorted { $0.uuidString < $1.uuidString }
        for start in stride(from: 0, to: sorted.count, by: 500) {
            let rows = sorted[start..<min(start + 500, sorted.count)].map { SQLQueryString("(\(bind: $0), \(bind: event))") }
            try await sql.raw(
                "INSERT INTO audit_children (child_id, event_id) VALUES " + rows.joined(separator: ", ")
                    + " ON CONFLICT DO NOTHING"
            ).run()
        }
    }
}
