import Fluent
import Foundation
import SQLKit
import Vapor

/// Links committed audit events, in batches, into the sealed log (docs/audit.md). One sealer
/// at a time per deployment: on PostgreSQL whoever takes the advisory lock for the pass, on
/// SQLite whoever holds the write lock. A pass that finds another sealing does nothing.
package enum AuditSealer {
    /// Events to a batch: a pass holds SQLite's write lock while it writes them.
    static let batchLimit = 5_000
    /// `pg_try_advisory_xact_lock`'s key for the sealer ("eCAFseal" in ASCII).
    static let lockKey: Int64 = 0x6543_4146_7365_616c

    /// Seals every event that is ready now; returns how many it sealed.
    @discardableResult
    static func sealReady(on db: any Database, keys: AuditKeys, batchLimit: Int = batchLimit) async throws -> Int {
        var sealed = 0
        while true {
            let count = try await sealBatch(on: db, keys: keys, limit: batchLimit)
            sealed += count
            if count < batchLimit { return sealed }
        }
    }

    /// Seals at most `batches` full batches with the application's keys; returns how many
    /// events: what `ecaf-dev bench-audit` times.
    package static func seal(_ app: Application, batches: Int) async throws -> Int {
        let keys = try app.requireAuditKeys()
        var sealed = 0
        for _ in 0..<batches {
            let count = try await sealBatch(on: app.db, keys: keys, limit: batchLimit)
            sealed += count
            if count < batchLimit { break }
        }
        return sealed
    }

    /// One batch: the ready events after the last seal, in the order they are found, become
    /// leaves at the next positions, under a new head.
    private static func sealBatch(on db: any Database, keys: AuditKeys, limit: Int) async throws -> Int {
        try await db.writeTransaction { db in
            let sql = db.sql
            if sql.dialect.name == "postgresql" {
                let taken = try await sql.raw("SELECT pg_try_advisory_xact_lock(\(bind: lockKey)) AS taken").first()
                guard try taken?.decode(column: "taken", as: Bool.self) == true else { return 0 }
            }
            let last = try await AuditSeal.query(on: db).sort(\.$id, .descending).first()
            if let last { try await checkBeforeChaining(onto: last, keys: keys, on: sql) }
            let cursor = last?.cursor ?? .start
            let events = try await ready(after: cursor, limit: limit, on: sql)
            guard let through = events.last else { return 0 }
            let leaves = events.map { AuditFormat.leafHash($0.event) }
            let seal = AuditSeal()
            seal.id = (last?.id ?? 0) + 1
            seal.firstPosition = (last?.firstPosition ?? 0) + (last?.size ?? 0)
            seal.size = Int64(events.count)
            seal.root = AuditFormat.root(leaves)
            (seal.throughTransaction, seal.throughSequence) = (through.writtenIn, through.event.sequence)
            seal.head = AuditFormat.head(of: seal, previous: last?.head ?? AuditFormat.genesis, key: keys)
            seal.sealedAt = Date(timeIntervalSince1970: Double(AuditFormat.milliseconds(Date())) / 1000)
            seal.signature = try keys.sign(seal.checkpointText)
            try await seal.create(on: db)
            for start in stride(from: 0, to: events.count, by: 500) {
                let insert = sql.insert(into: "audit_leaves").columns("position", "event_id", "batch", "leaf")
                for index in start..<min(start + 500, events.count) {
                    insert.values(
                        SQLBind(seal.firstPosition + Int64(index)), SQLBind(events[index].event.id!), SQLBind(seal.id!),
                        SQLBind(leaves[index]))
                }
                try await insert.run()
            }
            return events.count
        }
    }

    /// The sealer chains only onto a batch it can prove its own (a row put in by anyone else
    /// would otherwise be built on, and every batch after it fail), and reads only where
    /// transaction ids have not gone back (a logical restore into another PostgreSQL cluster
    /// starts them lower: the cursor would leave every new event behind it). Either stops
    /// sealing, loudly, until someone looks (docs/audit.md).
    static func checkBeforeChaining(onto last: AuditSeal, keys: AuditKeys, on sql: any SQLDatabase) async throws {
        guard keys.isSigned(last.checkpointText, by: last.signature) else {
            throw StoppedSealing(
                reason: "batch \(last.id ?? 0) is not signed with this deployment's key: run `ecaf audit verify`")
        }
        guard sql.dialect.name == "postgresql" else { return }
        let next = try await sql.raw("SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint AS next").first()?
            .decode(column: "next", as: Int64.self)
        // Once ids have gone back, events written since sit behind the cursor (an earlier id,
        // a later number) even after the ids pass it again: no sealed log has such an event.
        let behind = try await sql.raw(
            """
            SELECT 1 AS behind FROM audit_events e
            WHERE e.sequence > \(bind: last.throughSequence)
                AND e.written_in < \(bind: String(last.throughTransaction))::xid8
                AND NOT EXISTS (SELECT 1 FROM audit_leaves l WHERE l.event_id = e.id)
            LIMIT 1
            """
        ).first()
        if let next, next <= last.throughTransaction || behind != nil {
            throw StoppedSealing(
                reason:
                    "transaction ids went back behind the sealer's cursor (\(last.throughTransaction)): was the database restored from a logical dump? See docs/audit.md"
            )
        }
    }

    struct StoppedSealing: Error, CustomStringConvertible {
        let reason: String
        var description: String { "The audit sealer has stopped: \(reason)" }
    }

    /// Where the sealer has read to: events at or before it are sealed or were never committed.
    struct Cursor: Sendable {
        let writtenIn: Int64
        let sequence: Int64

        static let start = Cursor(writtenIn: 0, sequence: 0)

        /// The condition for events after this cursor in the sealer's order (or, `after:
        /// false`, at or before it): by transaction id, then number, on PostgreSQL; by number
        /// on SQLite.
        func events(after: Bool, on sql: any SQLDatabase) -> any SQLExpression {
            guard sql.dialect.name == "postgresql" else {
                return SQLBinaryExpression(SQLColumn("sequence"), after ? .greaterThan : .lessThanOrEqual, SQLBind(sequence))
            }
            return after
                ? SQLQueryString("(written_in, sequence) > (\(bind: String(writtenIn))::xid8, \(bind: sequence))")
                : SQLQueryString("(written_in, sequence) <= (\(bind: String(writtenIn))::xid8, \(bind: sequence))")
        }
    }

    struct Read: Sendable {
        let event: AuditEvent
        let writtenIn: Int64
    }

    static let eventColumns = [
        "id", "sequence", "occurred_at", "actor_id", "actor_email", "actor_roles", "action", "child_id", "episode_id",
        "outcome", "detail", "detail_digest", "named_children",
    ]

    /// Committed events after the cursor that no transaction still open can precede. On
    /// PostgreSQL an event is ready once every transaction that began before its own has
    /// ended: its transaction id is below the oldest still running (the snapshot's xmin, read
    /// in the same statement), so one committed later can never fall behind the cursor. On
    /// SQLite writers take turns, so every committed event is ready, in sequence order.
    static func ready(after cursor: Cursor, limit: Int, on sql: any SQLDatabase) async throws -> [Read] {
        let select = sql.select().columns(eventColumns.map { SQLColumn($0) }).from(AuditEvent.schema)
            .where(cursor.events(after: true, on: sql)).limit(limit)
        if sql.dialect.name == "postgresql" {
            select.column(SQLAlias(SQLQueryString("written_in::text::bigint"), as: SQLIdentifier("transaction_id")))
                .where(SQLQueryString("written_in < pg_snapshot_xmin(pg_current_snapshot())"))
                .orderBy("written_in").orderBy("sequence")
        } else {
            select.column(SQLAlias(SQLLiteral.numeric("0"), as: SQLIdentifier("transaction_id"))).orderBy("sequence")
        }
        return try await select.all().map { row in
            Read(event: try event(from: row), writtenIn: try row.decode(column: "transaction_id", as: Int64.self))
        }
    }

    static func event(from row: any SQLRow) throws -> AuditEvent {
        let event = AuditEvent()
        event.id = try row.decode(column: "id", as: UUID.self)
        event.sequence = try row.decode(column: "sequence", as: Int64.self)
        event.occurredAt = try row.decode(column: "occurred_at", as: Date.self)
        event.actorID = try row.decode(column: "actor_id", as: UUID?.self)
        event.actorEmail = try row.decode(column: "actor_email", as: String.self)
        event.actorRoles = try row.decode(column: "actor_roles", as: String.self)
        event.action = try row.decode(column: "action", as: String.self)
        event.childID = try row.decode(column: "child_id", as: UUID?.self)
        event.episodeID = try row.decode(column: "episode_id", as: UUID?.self)
        event.outcome = try row.decode(column: "outcome", as: String.self)
        event.detail = try row.decode(column: "detail", as: String.self)
        event.detailDigest = try row.decode(column: "detail_digest", as: String.self)
        event.namedChildren = try row.decode(column: "named_children", as: String.self)
        return event
    }

    /// Events written and not yet sealed, and when the oldest was written: the window in
    /// which a deleted event would leave no trace but a gap (docs/audit.md).
    static func pending(on db: any Database) async throws -> (count: Int, oldest: Date?) {
        let sql = db.sql
        let last = try await AuditSeal.query(on: db).sort(\.$id, .descending).first()
        let select = sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "waiting")
            .column(SQLFunction("MIN", args: SQLColumn("occurred_at")), as: "oldest").from(AuditEvent.schema)
            .where((last?.cursor ?? .start).events(after: true, on: sql))
        guard let row = try await select.first() else { return (0, nil) }
        return (try row.decode(column: "waiting", as: Int.self), try row.decode(column: "oldest", as: Date?.self))
    }
}

/// `ecaf serve` seals while it runs, every second; a lag past a minute is logged as a warning,
/// since until it is sealed an event can be deleted without trace.
struct AuditSealerService: LifecycleHandler {
    let keys: AuditKeys
    var interval: Duration = .seconds(1)
    private let task = PostmanService.TaskHolder()

    init(keys: AuditKeys) { self.keys = keys }

    func didBootAsync(_ app: Application) async throws {
        let (keys, interval) = (self.keys, self.interval)
        await task.start {
            while !Task.isCancelled {
                do {
                    try await AuditSealer.sealReady(on: app.db, keys: keys)
                    let pending = try await AuditSealer.pending(on: app.db)
                    if let oldest = pending.oldest, Date().timeIntervalSince(oldest) > 60 {
                        app.logger.warning(
                            "The audit sealer is behind: \(pending.count) events wait, the oldest since \(oldest)")
                    }
                } catch let stopped as AuditSealer.StoppedSealing {
                    app.logger.error("\(stopped.description)")
                } catch {
                    app.logger.warning("The audit sealer could not seal: \(String(describing: error))")
                }
                try? await Task.sleep(for: interval)
            }
        }
    }

    func shutdownAsync(_ app: Application) async {
        await task.stop()
    }
}
