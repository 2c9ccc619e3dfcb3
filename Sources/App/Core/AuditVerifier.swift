import Fluent
import Foundation
import SQLKit

/// `ecaf audit verify`: proves every sealed event present, in order and unaltered, every
/// head made with the deployment's keys, and (given a checkpoint kept elsewhere) that the log
/// still extends it. What it can and cannot detect is set out in docs/audit.md.
enum AuditVerifier {
    struct Report: Equatable {
        var batches = 0
        var sealed = 0
        /// Sealed events whose detail was emptied (retention) while its digest stayed.
        var purged = 0
        /// Events written since the last seal.
        var pending = 0
        var oldestPending: Date?
    }

    enum Verdict: Equatable {
        case intact(Report)
        case broken(String)
    }

    /// A checkpoint as printed by `ecaf audit checkpoint`: its text and signature.
    struct Checkpoint: Equatable {
        let batch: Int64
        let size: Int64
        let head: String
        let text: String
        let signature: String

        /// Parses the printed form; nil when it is not one.
        init?(printed: String) {
            // Lines as kept anywhere: a mail client's CRLF or a trailing space changes nothing.
            let lines = printed.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }
            guard lines.count == 6, lines[0] == "eCAF audit checkpoint v1", lines[5].hasPrefix("signature ") else {
                return nil
            }
            func value(_ line: String, _ name: String) -> String? {
                line.hasPrefix(name + " ") ? String(line.dropFirst(name.count + 1)) : nil
            }
            guard let batch = value(lines[1], "batch").flatMap({ Int64($0) }),
                let size = value(lines[2], "size").flatMap({ Int64($0) }), let head = value(lines[3], "head"),
                value(lines[4], "sealed").flatMap({ Int64($0) }) != nil
            else { return nil }
            (self.batch, self.size, self.head) = (batch, size, head)
            text = lines[0...4].joined(separator: "\n") + "\n"
            signature = String(lines[5].dropFirst("signature ".count))
        }
    }

    static func printed(_ seal: AuditSeal) -> String { seal.checkpointText + "signature \(seal.signature)\n" }

    static func verify(on db: any Database, keys: AuditKeys, checkpoint: Checkpoint? = nil) async throws -> Verdict {
        if let checkpoint, !keys.isSigned(checkpoint.text, by: checkpoint.signature) {
            return .broken("the checkpoint was not signed with this deployment's signing key")
        }
        var report = Report()
        var previous = AuditFormat.genesis
        var position: Int64 = 0
        var last: AuditSeal?
        var checkpointFound = false
        while true {
            let seals = try await AuditSeal.query(on: db).filter(\.$id > (last?.id ?? 0)).sort(\.$id).limit(100).all()
            if seals.isEmpty { break }
            for seal in seals {
                let batch = (last?.id ?? 0) + 1
                guard seal.id == batch else { return .broken("batch \(batch) is missing") }
                let cursor = last?.cursor ?? .start
                if let problem = try await problem(
                    in: seal, at: position, after: previous, cursor: cursor, keys: keys, on: db, &report)
                {
                    return .broken(problem)
                }
                if let checkpoint, checkpoint.batch == batch {
                    guard checkpoint.size == position + seal.size, checkpoint.head == seal.head else {
                        return .broken("batch \(batch) is not the one the checkpoint recorded: the log was rewritten")
                    }
                    checkpointFound = true
                }
                (previous, position, last) = (seal.head, position + seal.size, seal)
                report.batches += 1
                report.sealed += Int(seal.size)
            }
        }
        if let checkpoint, !checkpointFound {
            return .broken(
                "the log ends at batch \(last?.id ?? 0) but the checkpoint recorded batch \(checkpoint.batch): sealed events were removed"
            )
        }
        // Leaves of the batches walked, and of none at all; a batch the running sealer has
        // added since is not counted.
        let leaves = try await db.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from("audit_leaves")
            .where("batch", .lessThanOrEqual, SQLBind(last?.id ?? 0))
            .orWhere(SQLQueryString("NOT EXISTS (SELECT 1 FROM audit_seals s WHERE s.batch = audit_leaves.batch)"))
            .first()?.decode(column: "n", as: Int.self)
        if leaves != report.sealed {
            return .broken("the log holds \(leaves ?? 0) leaves but its batches seal \(report.sealed): a leaf was put in")
        }
        if let behind = try await unsealedBehind(last, on: db) {
            return .broken("event \(behind) is not sealed though the sealer has read past it: it was put in afterwards")
        }
        let pending = try await AuditSealer.pending(on: db)
        (report.pending, report.oldestPending) = (pending.count, pending.oldest)
        return .intact(report)
    }

    /// What is wrong with one batch, if anything: its head, its signature, its leaves, or an
    /// event it sealed.
    private static func problem(
        in seal: AuditSeal, at position: Int64, after previous: String, cursor: AuditSealer.Cursor, keys: AuditKeys,
        on db: any Database, _ report: inout Report
    ) async throws -> String? {
        let batch = seal.id!
        guard seal.firstPosition == position else { return "batch \(batch) does not start where batch \(batch - 1) ended" }
        let head = AuditFormat.head(of: seal, previous: previous, key: keys)
        guard head == seal.head else { return "batch \(batch)'s head was not made with this deployment's key" }
        guard keys.isSigned(seal.checkpointText, by: seal.signature) else {
            return "batch \(batch)'s signature is not this deployment's"
        }
        let sql = db.sql
        let rows = try await sql.select()
            .columns(AuditSealer.eventColumns.map { SQLColumn($0, table: "e") })
            .column(SQLColumn("position", table: "l")).column(SQLColumn("leaf", table: "l"))
            .column(SQLColumn("event_id", table: "l"))
            .column(
                SQLAlias(
                    sql.dialect.name == "postgresql"
                        ? SQLQueryString("e.written_in::text::bigint") : SQLQueryString("0"),
                    as: SQLIdentifier("written_in"))
            )
            .from(SQLAlias(SQLIdentifier("audit_leaves"), as: SQLIdentifier("l")))
            .join(
                SQLAlias(SQLIdentifier(AuditEvent.schema), as: SQLIdentifier("e")), method: SQLJoinMethod.left,
                on: SQLColumn("id", table: "e"), .equal, SQLColumn("event_id", table: "l")
            )
            .where(SQLColumn("batch", table: "l"), .equal, SQLBind(batch)).orderBy(SQLColumn("position", table: "l"))
            .all()
        var leaves: [String] = []
        for (index, row) in rows.enumerated() {
            let at = try row.decode(column: "position", as: Int64.self)
            guard at == seal.firstPosition + Int64(index) else { break }
            leaves.append(try row.decode(column: "leaf", as: String.self))
        }
        guard leaves.count == Int(seal.size) else { return "batch \(batch) has lost a leaf" }
        guard rows.count == leaves.count else { return "batch \(batch) holds a leaf the sealer did not put there" }
        guard AuditFormat.root(leaves) == seal.root else { return "batch \(batch)'s leaves were changed" }
        var read: [AuditSealer.Read] = []
        for (index, row) in rows.enumerated() {
            let at = seal.firstPosition + Int64(index)
            guard try row.decode(column: "id", as: UUID?.self) != nil else {
                return "the event sealed at position \(at) (\(try row.decode(column: "event_id", as: UUID.self))) is missing"
            }
            let event = try AuditSealer.event(from: row)
            if event.detail.isEmpty && event.detailDigest != AuditFormat.emptyDetailDigest {
                report.purged += 1
            } else if AuditFormat.digest(ofDetail: event.detail) != event.detailDigest {
                return "the detail of event \(event.sequence) (position \(at)) was changed after it was written"
            }
            guard AuditFormat.leafHash(event) == leaves[index] else {
                return "event \(event.sequence) (position \(at)) was changed after it was sealed"
            }
            read.append(AuditSealer.Read(event: event, writtenIn: try row.decode(column: "written_in", as: Int64.self)))
        }
        // The batch ends where its cursor says, and follows the one before in the sealer's order.
        let order = { (read: AuditSealer.Read) in (read.writtenIn, read.event.sequence) }
        guard let last = read.last, order(last) == (seal.throughTransaction, seal.throughSequence),
            zip(read, read.dropFirst()).allSatisfy({ order($0) < order($1) }),
            order(read[0]) > (cursor.writtenIn, cursor.sequence)
        else { return "batch \(batch) is not in the order the sealer reads, or its cursor was changed" }
        return try await indexProblem(batch: batch, read.map(\.event), on: sql)
    }

    /// The index a child's trail reads (`audit_children`) must hold exactly the children each
    /// sealed event names: a link taken out would hide a search from a child's trail, one put
    /// in would add it to another's.
    private static func indexProblem(batch: Int64, _ events: [AuditEvent], on sql: any SQLDatabase) async throws
        -> String?
    {
        let links = try await sql.select().column(SQLColumn("child_id", table: "c")).column(SQLColumn("event_id", table: "c"))
            .from(SQLAlias(SQLIdentifier("audit_children"), as: SQLIdentifier("c")))
            .join(
                SQLAlias(SQLIdentifier("audit_leaves"), as: SQLIdentifier("l")), method: SQLJoinMethod.inner,
                on: SQLColumn("event_id", table: "l"), .equal, SQLColumn("event_id", table: "c")
            )
            .where(SQLColumn("batch", table: "l"), .equal, SQLBind(batch)).all()
        var indexed: [UUID: Set<UUID>] = [:]
        for link in links {
            indexed[try link.decode(column: "event_id", as: UUID.self), default: []]
                .insert(try link.decode(column: "child_id", as: UUID.self))
        }
        for event in events {
            let named = try JSONDecoder().decode([String].self, from: Data(event.namedChildren.utf8)).compactMap {
                UUID(uuidString: $0)
            }
            guard Set(named) == indexed[event.id!] ?? [] else {
                return "the children event \(event.sequence) names are not those a child's trail finds it by"
            }
        }
        return nil
    }

    /// The sequence of an event at or before the sealer's cursor that no batch holds: one
    /// written into the past (committed events are never left behind the cursor).
    private static func unsealedBehind(_ last: AuditSeal?, on db: any Database) async throws -> Int64? {
        guard let last else { return nil }
        let sql = db.sql
        let select = sql.select().column("sequence").from(AuditEvent.schema)
            .where(SQLQueryString("NOT EXISTS (SELECT 1 FROM audit_leaves l WHERE l.event_id = audit_events.id)"))
            .where(last.cursor.events(after: false, on: sql)).orderBy("sequence").limit(1)
        return try await select.first().map { try $0.decode(column: "sequence", as: Int64.self) }
    }
}
