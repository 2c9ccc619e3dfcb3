import Fluent
import SQLKit

/// The audit log is append-only in the database itself: an event, once written, can be
/// neither changed nor deleted by any statement the application (or anything reaching its
/// database through it) sends. Someone with the rights to alter the schema can lift this, as
/// `revert` does, which is why the log is sealed (`ecaf audit verify`). Issue 16 item 2.
struct MakeAuditAppendOnly: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await AppendOnly.protect("audit_events", on: database as! any SQLDatabase)
    }

    func revert(on database: any Database) async throws {
        try await AppendOnly.lift("audit_events", on: database as! any SQLDatabase)
    }
}

/// Triggers that refuse every UPDATE and DELETE of a table's rows, and TRUNCATE on
/// PostgreSQL (SQLite has none: its `DELETE` without a condition is refused like any other).
enum AppendOnly {
    static func protect(_ table: String, on sql: any SQLDatabase) async throws {
        if sql.dialect.name == "postgresql" {
            try await sql.raw(
                """
                CREATE FUNCTION \(ident: table + "_append_only")() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION \(literal: refusal(table)); END $$
                """
            ).run()
            try await sql.raw(
                """
                CREATE TRIGGER \(ident: table + "_append_only") BEFORE UPDATE OR DELETE ON \(ident: table)
                FOR EACH ROW EXECUTE FUNCTION \(ident: table + "_append_only")()
                """
            ).run()
            try await sql.raw(
                """
                CREATE TRIGGER \(ident: table + "_never_truncated") BEFORE TRUNCATE ON \(ident: table)
                FOR EACH STATEMENT EXECUTE FUNCTION \(ident: table + "_append_only")()
                """
            ).run()
        } else {
            try await sql.raw(
                """
                CREATE TRIGGER \(ident: table + "_no_update") BEFORE UPDATE ON \(ident: table)
                BEGIN SELECT RAISE(ABORT, \(literal: refusal(table))); END
                """
            ).run()
            try await sql.raw(
                """
                CREATE TRIGGER \(ident: table + "_no_delete") BEFORE DELETE ON \(ident: table)
                BEGIN SELECT RAISE(ABORT, \(literal: refusal(table))); END
                """
            ).run()
        }
    }

    /// "audit events are append-only": what a refused statement's error says.
    private static func refusal(_ table: String) -> String { table.replacingOccurrences(of: "_", with: " ") + " are append-only" }

    static func lift(_ table: String, on sql: any SQLDatabase) async throws {
        if sql.dialect.name == "postgresql" {
            try await sql.raw("DROP TRIGGER IF EXISTS \(ident: table + "_never_truncated") ON \(ident: table)").run()
            try await sql.raw("DROP TRIGGER IF EXISTS \(ident: table + "_append_only") ON \(ident: table)").run()
            try await sql.raw("DROP FUNCTION IF EXISTS \(ident: table + "_append_only")()").run()
        } else {
            try await sql.raw("DROP TRIGGER IF EXISTS \(ident: table + "_no_update")").run()
            try await sql.raw("DROP TRIGGER IF EXISTS \(ident: table + "_no_delete")").run()
        }
    }
}
