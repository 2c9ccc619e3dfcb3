import Crypto
import Fluent
import Foundation
import SQLKit

/// The audit log's hash chain: SHA-256 over each event's content and the previous hash.
/// Changing, deleting or reordering any event breaks every link after it.
enum AuditChain {
    static let genesis = String(repeating: "0", count: 64)

    /// The exact text hashed for an event; times at millisecond precision so they survive
    /// every database's storage unchanged.
    static func canonical(_ event: AuditEvent, previous: String) -> String {
        [
            String(event.sequence), String(milliseconds(event.occurredAt)), event.actorID?.uuidString ?? "", event.actorEmail,
            event.actorRoles, event.action, event.childID?.uuidString ?? "", event.episodeID?.uuidString ?? "", event.outcome,
            event.detail, previous,
        ].map { $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "|", with: "\\|") }
            .joined(separator: "|")
    }

    static func hash(of event: AuditEvent, previous: String) -> String {
        SHA256.hash(data: Data(canonical(event, previous: previous).utf8)).map { String(format: "%02x", $0) }.joined()
    }

    static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }

    /// Takes the next link: bumps the head (locking it until the transaction ends, so
    /// writers queue) and returns the new sequence number and the previous hash.
    static func nextLink(on db: any Database) async throws -> (sequence: Int64, previous: String) {
        let sql = db as! any SQLDatabase
        try await sql.update("audit_chain").set(SQLIdentifier("sequence"), to: SQLRaw("sequence + 1"))
            .where("id", .equal, SQLBind(1)).run()
        guard
            let row = try await sql.select().columns("sequence", "hash").from("audit_chain").where("id", .equal, SQLBind(1))
                .first()
        else { throw AppError(status: .internalServerError, code: "audit-chain-missing", message: "The audit chain is missing") }
        return (try row.decode(column: "sequence", as: Int64.self), try row.decode(column: "hash", as: String.self))
    }

    static func setHead(_ hash: String, on db: any Database) async throws {
        try await (db as! any SQLDatabase).update("audit_chain").set("hash", to: SQLBind(hash)).where("id", .equal, SQLBind(1))
            .run()
    }

    /// What `ecaf audit verify` reports.
    enum Verdict: Equatable {
        case intact(events: Int)
        case broken(sequence: Int64, reason: String)
    }

    /// Recomputes the whole chain in sequence order and reports the first broken link.
    static func verify(on db: any Database, batch: Int = 5_000) async throws -> Verdict {
        var previous = genesis
        var expected: Int64 = 1
        var count = 0
        while true {
            let events = try await AuditEvent.query(on: db).filter(\.$sequence >= expected).sort(\.$sequence).limit(batch).all()
            if events.isEmpty { break }
            for event in events {
                if event.sequence != expected {
                    return .broken(sequence: expected, reason: "event \(expected) is missing (found \(event.sequence) next)")
                }
                if event.previousHash != previous {
                    return .broken(sequence: expected, reason: "event \(expected) does not follow event \(expected - 1)")
                }
                if hash(of: event, previous: previous) != event.hash {
                    return .broken(sequence: expected, reason: "event \(expected) was changed after it was written")
                }
                previous = event.hash
                expected += 1
                count += 1
            }
        }
        let sql = db as! any SQLDatabase
        if let head = try await sql.select().columns("sequence", "hash").from("audit_chain").first() {
            let headSequence = try head.decode(column: "sequence", as: Int64.self)
            let headHash = try head.decode(column: "hash", as: String.self)
            if headSequence != expected - 1 || headHash != previous {
                return .broken(
                    sequence: expected, reason: "the chain ends at event \(expected - 1) but \(headSequence) were written")
            }
        }
        return .intact(events: count)
    }
}
