import Fluent
import Foundation
import SQLKit

/// The audit log sealed in batches (docs/audit.md, issue 16 item 1): no head row every
/// writer queues on. Each event gets the digest of its detail; the database numbers events
/// (and, on PostgreSQL, stamps the transaction that wrote each); the sealer's batches and
/// leaves get tables of their own, append-only like the events. The hash chain goes: the
/// sealer seals every event written under it afresh, oldest first.
struct SealAuditLog: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await AppendOnly.lift("audit_events", on: sql)
        try await database.schema("audit_events").field("detail_digest", .string, .required, .sql(.default(""))).update()
        try await database.schema("audit_events").field("named_children", .string, .required, .sql(.default("[]")))
            .update()
        var after: Int64 = 0
        while true {
            let rows = try await sql.select().columns("id", "sequence", "detail").from("audit_events")
                .where("sequence", .greaterThan, SQLBind(after)).orderBy("sequence").limit(1_000).all()
            guard let last = rows.last else { break }
            for row in rows {
                let id = try row.decode(column: "id", as: UUID.self)
                let named = try await sql.select().column("child_id").from("audit_children")
                    .where("event_id", .equal, SQLBind(id)).all().map { try $0.decode(column: "child_id", as: UUID.self) }
                try await sql.update("audit_events")
                    .set(
                        "detail_digest",
                        to: SQLBind(AuditFormat.digest(ofDetail: try row.decode(column: "detail", as: String.self)))
                    )
                    .set("named_children", to: SQLBind(AuditFormat.named(Set(named))))
                    .where("id", .equal, SQLBind(id)).run()
            }
            after = try last.decode(column: "sequence", as: Int64.self)
        }
        try await Self.indexNamedChildren(on: sql)
        // A child's trail reads events about its episodes by this index, not by a scan.
        try await sql.create(index: "audit_events_episode").on("audit_events").column("episode_id").run()
        try await sql.raw("ALTER TABLE audit_events DROP COLUMN previous_hash").run()
        try await sql.raw("ALTER TABLE audit_events DROP COLUMN hash").run()
        try await database.schema("audit_chain").delete()
        if sql.dialect.name == "postgresql" {
            try await sql.raw("CREATE SEQUENCE audit_event_sequence OWNED BY audit_events.sequence").run()
            try await sql.raw("SELECT setval('audit_event_sequence', COALESCE(MAX(sequence), 0) + 1, false) FROM audit_events")
                .run()
            try await sql.raw("ALTER TABLE audit_events ADD COLUMN written_in xid8 NOT NULL DEFAULT pg_current_xact_id()").run()
            try await sql.create(index: "audit_events_written").on("audit_events").column("written_in").column("sequence")
                .run()
        }
        try await database.schema(AuditSeal.schema)
            .field("batch", .int64, .identifier(auto: false))
            .field("first_position", .int64, .required)
            .field("size", .int64, .required)
            .field("root", .string, .required)
            .field("head", .string, .required)
            .field("through_transaction", .int64, .required)
            .field("through_sequence", .int64, .required)
            .field("sealed_at", .datetime, .required)
            .field("signature", .string, .required)
            .create()
        try await database.schema("audit_leaves")
            .field("position", .int64, .identifier(auto: false))
            .field("event_id", .uuid, .required)
            .field("batch", .int64, .required)
            .field("leaf", .string, .required)
            .unique(on: "event_id")
            .create()
        try await sql.create(index: "audit_leaves_batch").on("audit_leaves").column("batch").run()
        try await Self.numberAsWritten(on: sql)
        for table in ["audit_events", "audit_children", AuditSeal.schema, "audit_leaves"] {
            try await AppendOnly.protect(table, on: sql)
        }
    }

    /// Each event's named children go into `audit_children` as it is written: one statement
    /// writes both, so the event and its index commit together.
    static func indexNamedChildren(on sql: any SQLDatabase) async throws {
        if sql.dialect.name == "postgresql" {
            try await sql.raw(
                """
                CREATE FUNCTION audit_events_index_children() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO audit_children (child_id, event_id)
                    SELECT value::uuid, NEW.id FROM jsonb_array_elements_text(NEW.named_children::jsonb)
                    ON CONFLICT DO NOTHING;
                    RETURN NULL;
                END $$
                """
            ).run()
            try await sql.raw(
                """
                CREATE TRIGGER audit_events_index_children AFTER INSERT ON audit_events
                FOR EACH ROW WHEN (NEW.named_children <> '[]') EXECUTE FUNCTION audit_events_index_children()
                """
            ).run()
        } else {
            try await sql.raw(
                """
                CREATE TRIGGER audit_events_index_children AFTER INSERT ON audit_events
                WHEN NEW.named_children <> '[]'
                BEGIN
                    INSERT OR IGNORE INTO audit_children (child_id, event_id)
                    SELECT value, NEW.id FROM json_each(NEW.named_children);
                END
                """
            ).run()
        }
    }

    /// Whatever an INSERT says, an event takes the database's next number and time: on
    /// PostgreSQL its sequence, the writing transaction's id and its clock, to the millisecond
    /// (so an application server whose clock drifts cannot stop the audit either); on SQLite,
    /// which runs beside the application on one clock, an insert that says otherwise, or a time
    /// more than five minutes out, is refused. No statement through the application's
    /// connection can put an event into the past, behind the sealer's cursor or among older
    /// events.
    static func numberAsWritten(on sql: any SQLDatabase) async throws {
        if sql.dialect.name == "postgresql" {
            try await sql.raw(
                """
                CREATE FUNCTION audit_events_as_written() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    NEW.sequence := nextval('audit_event_sequence');
                    NEW.written_in := pg_current_xact_id();
                    NEW.occurred_at := date_trunc('milliseconds', clock_timestamp());
                    RETURN NEW;
                END $$
                """
            ).run()
            try await sql.raw(
                """
                CREATE TRIGGER audit_events_as_written BEFORE INSERT ON audit_events
                FOR EACH ROW EXECUTE FUNCTION audit_events_as_written()
                """
            ).run()
        } else {
            try await sql.raw(
                """
                CREATE TRIGGER audit_events_as_written BEFORE INSERT ON audit_events
                WHEN NEW.sequence IS NOT (SELECT COALESCE(MAX(sequence), 0) + 1 FROM audit_events)
                    OR abs(NEW.occurred_at - (julianday('now') - 2440587.5) * 86400.0) > 300
                BEGIN SELECT RAISE(ABORT, 'an audit event is numbered and timed as it is written'); END
                """
            ).run()
        }
    }

    /// What an operator with the schema's rights does before putting an event where it does
    /// not belong (the tamper tests do so).
    static func liftAsWritten(on sql: any SQLDatabase) async throws {
        if sql.dialect.name == "postgresql" {
            try await sql.raw("DROP TRIGGER IF EXISTS audit_events_as_written ON audit_events").run()
        } else {
            try await sql.raw("DROP TRIGGER IF EXISTS audit_events_as_written").run()
        }
    }

    /// No going back: the sealed log cannot be turned into the hash chain again.
    func revert(on database: any Database) async throws {
        throw NoGoingBack()
    }

    struct NoGoingBack: Error, CustomStringConvertible {
        var description: String { "the sealed audit log (047) cannot be reverted to the hash chain it replaced" }
    }
}
