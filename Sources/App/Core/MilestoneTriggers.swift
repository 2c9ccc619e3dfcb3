import CAFCore
import Fluent
import Foundation
import SQLKit

/// Keeps each episode's milestones (`CAFCore.Milestone`) by the database's own triggers on
/// every write of an assessment, meeting, action or lead professional term, so the time-to
/// measures read one indexed column. The triggers are made from the current rules, after
/// every migration: where none exist, at every start (`createMissing`, a new database); where
/// they differ from the current rules, only by `ecaf migrate` (`install`), which a deployment
/// runs once per release, never at an instance's start, where an old instance restarting
/// would put an old rule back.
enum MilestoneTriggers {
    static func createMissing(on sql: any SQLDatabase) async throws {
        var created = false
        for milestone in Milestone.allCases where try await installed(milestone, on: sql) == nil {
            try await create(milestone, on: sql)
            created = true
        }
        if created { try await fill(on: sql) }
    }

    /// Puts back any milestone whose triggers differ from the current rule, each in one
    /// transaction, and then works out again the episodes whose milestones the current rules
    /// give otherwise; the milestones put back.
    static func install(on sql: any SQLDatabase) async throws -> [Milestone] {
        var changed: [Milestone] = []
        for milestone in Milestone.allCases where try await installed(milestone, on: sql) != definitions(milestone, sql) {
            try await (sql as! any Database).writeTransaction { db in
                try await drop(milestone, on: db.sql)
                try await create(milestone, on: db.sql)
            }
            changed.append(milestone)
        }
        if !changed.isEmpty { try await fill(on: sql) }
        return changed
    }

    /// The milestone of the episode `episode` (a column, or a trigger's NEW or OLD field).
    static func value(_ milestone: Milestone, of episode: String) -> String {
        let (table, time, condition) = milestone.sql
        return "(SELECT min(\(time)) FROM \(table) WHERE episode_id = \(episode)\(condition.map { " AND \($0)" } ?? ""))"
    }

    /// "Differs, nulls included", in each database's words.
    static func differs(_ sql: any SQLDatabase) -> String {
        sql.dialect.name == "postgresql" ? "IS DISTINCT FROM" : "IS NOT"
    }

    /// Each trigger's name and the statement that makes it (on PostgreSQL, the function first).
    static func definitions(_ milestone: Milestone, _ sql: any SQLDatabase) -> [String] {
        let column = milestone.column
        // Only when it changes: most writes (a second action, a later review) leave it be.
        let update = { (episode: String) in
            let differs = differs(sql)
            let value = value(milestone, of: episode)
            return "UPDATE episodes SET \(column) = \(value) WHERE id = \(episode) AND \(column) \(differs) \(value);"
        }
        if sql.dialect.name == "postgresql" {
            return [
                """
                CREATE FUNCTION keep_\(column)() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  IF TG_OP = 'DELETE' THEN \(update("OLD.episode_id")) ELSE \(update("NEW.episode_id")) END IF;
                  RETURN NULL;
                END $$
                """,
                """
                CREATE TRIGGER keep_\(column) AFTER INSERT OR UPDATE OR DELETE ON \(milestone.sql.table)
                FOR EACH ROW EXECUTE FUNCTION keep_\(column)()
                """,
            ]
        }
        return [("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")].map { event, row in
            """
            CREATE TRIGGER keep_\(column)_\(event.lowercased()) AFTER \(event)
            ON \(milestone.sql.table) BEGIN \(update("\(row).episode_id")) END
            """
        }
    }

    static func create(_ milestone: Milestone, on sql: any SQLDatabase) async throws {
        for statement in definitions(milestone, sql) { try await sql.raw("\(unsafeRaw: statement)").run() }
    }

    static func drop(_ milestone: Milestone, on sql: any SQLDatabase) async throws {
        let column = milestone.column
        if sql.dialect.name == "postgresql" {
            try await sql.raw("DROP TRIGGER IF EXISTS \(ident: "keep_\(column)") ON \(ident: milestone.sql.table)").run()
            try await sql.raw("DROP FUNCTION IF EXISTS \(ident: "keep_\(column)")()").run()
        } else {
            for event in ["insert", "update", "delete"] {
                try await sql.raw("DROP TRIGGER IF EXISTS \(ident: "keep_\(column)_\(event)")").run()
            }
        }
    }

    /// The definitions as the database holds them, in `definitions`' form when they do the
    /// same; nil when there are none.
    static func installed(_ milestone: Milestone, on sql: any SQLDatabase) async throws -> [String]? {
        let column = milestone.column
        if sql.dialect.name == "postgresql" {
            // The function's own text, and the table and events of its enabled trigger: the rest
            // is fixed. Looked up as the app's own search path resolves them.
            let expected = definitions(milestone, sql)
            let body = try await sql.raw(
                "SELECT prosrc FROM pg_proc WHERE oid = to_regproc(\(bind: "keep_\(column)"))"
            ).first()?.decode(column: "prosrc", as: String.self)
            let trigger = try await sql.raw(
                """
                SELECT pg_get_triggerdef(oid) AS d FROM pg_trigger
                WHERE tgname = \(bind: "keep_\(column)") AND tgrelid = to_regclass(\(bind: milestone.sql.table)) AND tgenabled = 'O'
                """
            ).first()?.decode(column: "d", as: String.self)
            guard let body else { return nil }
            let same =
                body == expected[0].components(separatedBy: "$$")[1]
                && trigger?.contains("AFTER INSERT OR DELETE OR UPDATE ON") == true
                && trigger?.hasSuffix("FOR EACH ROW EXECUTE FUNCTION keep_\(column)()") == true
            return same ? expected : ["differs"]
        }
        var stored: [String] = []
        for event in ["insert", "update", "delete"] {
            stored.append(
                try await sql.raw(
                    "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = \(bind: "keep_\(column)_\(event)")"
                ).first()?.decode(column: "sql", as: String.self) ?? "")
        }
        return stored.allSatisfy(\.isEmpty) ? nil : stored
    }

    /// Works out the episodes whose milestones the current rules give otherwise, a thousand
    /// at a time, so no statement holds every episode; run twice, since a write committed
    /// while a page was worked out may have been overwritten from the view before it.
    static func fill(on sql: any SQLDatabase) async throws {
        let differs = differs(sql)
        let set = Milestone.allCases.map { "\($0.column) = \(value($0, of: "episodes.id"))" }.joined(separator: ", ")
        let changed = Milestone.allCases.map { "\($0.column) \(differs) \(value($0, of: "episodes.id"))" }
            .joined(separator: " OR ")
        for _ in 1...2 {
            var after: UUID? = nil
            while true {
                let from: SQLQueryString = after.map { "WHERE id > \(bind: $0)" } ?? ""
                let ids = try await sql.raw("SELECT id FROM episodes \(from) ORDER BY id LIMIT 1000").all()
                    .map { try $0.decode(column: "id", as: UUID.self) }
                guard let last = ids.last else { break }
                after = last
                try await sql.raw(
                    "UPDATE episodes SET \(unsafeRaw: set) WHERE id IN (\(binds: ids)) AND (\(unsafeRaw: changed))"
                ).run()
            }
        }
    }
}
