import Fluent
import SQLKit

/// The audit log is append-only in the database itself: an event, once written, can be
/// neither changed nor deleted by any statement the application (or anything reaching its
/// database through it) sends. Someone with the rights to alter the schema can lift this, as
/// `revert` does, which is why the hash chain stays (`ecaf audit verify`). Issue 16 item 2.
struct MakeAuditAppendOnly: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        if sql.dialect.name == "postgresql" {
            try await sql.raw(
                """
                CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'audit events are append-only'; END $$
                """
            ).run()
            try await sql.raw(
                """
                CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
                FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()
                """
            ).run()
            try await sql.raw(
                """
                CREATE TRIGGER audit_events_never_truncated BEFORE TRUNCATE ON audit_events
                FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()
                """
            ).run()
        } else {
            try await sql.raw(
                """
                CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
                BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END
                """
            ).run()
            try await sql.raw(
                """
                CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
                BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END
                """
            ).run()
        }
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        if sql.dialect.name == "postgresql" {
            try await sql.raw("DROP TRIGGER audit_events_never_truncated ON audit_events").run()
            try await sql.raw("DROP TRIGGER audit_events_append_only ON audit_events").run()
            try await sql.raw("DROP FUNCTION audit_events_append_only()").run()
        } else {
            try await sql.raw("DROP TRIGGER audit_events_no_update").run()
            try await sql.raw("DROP TRIGGER audit_events_no_delete").run()
        }
    }
}
