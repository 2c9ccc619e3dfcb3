import App
import Foundation
import SQLKit
import Vapor

/// `ecaf bench-audit`: on an audit log loaded by scripts/bench-audit (ten million events by
/// default), times "who has seen this child" for children at random, beside the database's
/// own time for its statement, then how fast the sealer seals. Prints a markdown table. A
/// benchmark, never a test.
public struct BenchAuditCommand: AsyncCommand {
    public struct Signature: CommandSignature {
        public init() {}

        @Option(name: "rounds", help: "Children whose trails are read (default 100)")
        var rounds: Int?
    }

    public init() {}

    public let help = "Times audit trails and sealing; run with --demo on a log loaded by scripts/bench-audit"

    public func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let sql = app.db.sql
        let rounds = try Benchmark.rounds(signature.rounds, default: 100)
        let events = try await sql.raw("SELECT count(*) AS n, max(sequence) AS top FROM audit_events").first()
        let total = try events?.decode(column: "n", as: Int.self) ?? 0
        let top = try events?.decode(column: "top", as: Int64?.self) ?? 0
        guard total > 0 else {
            context.console.error("The audit log is empty: load one with scripts/bench-audit")
            throw ExitCode(2)
        }
        var trails: [Double] = [], database: [Double] = [], sizes: [Double] = []
        var index = 0
        while sizes.count < rounds - 1 {
            let pick = Int64.random(in: 1...top)
            guard
                let row = try await sql.raw(
                    "SELECT child_id FROM audit_events WHERE sequence >= \(bind: pick) AND child_id IS NOT NULL ORDER BY sequence LIMIT 1"
                ).first(), let child = try row.decode(column: "child_id", as: UUID?.self)
            else { continue }
            let episodes = try await sql.raw(
                "SELECT DISTINCT episode_id FROM audit_events WHERE child_id = \(bind: child) AND episode_id IS NOT NULL"
            ).all().map { try $0.decode(column: "episode_id", as: UUID.self) }
            var length = 0
            let elapsed = try await ContinuousClock().measure {
                length = try await Audit.trailLength(forChildren: [child], episodeIDs: episodes, on: app.db)
            }
            let own = try await Self.databaseTime(child: child, episodes: episodes, on: sql)
            if index > 0 {  // the first warms caches
                trails.append(Benchmark.milliseconds(elapsed))
                database.append(own)
                sizes.append(Double(length))
            }
            index += 1
        }
        var sealed = 0
        let sealing = try await ContinuousClock().measure { sealed = try await AuditSealer.seal(app, batches: 20) }
        let rate = Double(sealed) / max(Benchmark.milliseconds(sealing) / 1000, 0.001)
        let p = Benchmark.percentile
        context.console.print(
            """
            \(sql.dialect.name), \(total) audit events

            | measure | p50 | p95 | p99 |
            |---|---|---|---|
            | a child's trail, ms (eCAF) | \(p(trails, 0.5)) | \(p(trails, 0.95)) | \(p(trails, 0.99)) |
            | its statement, ms (database) | \(p(database, 0.5)) | \(p(database, 0.95)) | \(p(database, 0.99)) |
            | events in the trail | \(p(sizes, 0.5)) | \(p(sizes, 0.95)) | \(p(sizes, 0.99)) |

            sealing: \(sealed) events in \(String(format: "%.1f", Benchmark.milliseconds(sealing) / 1000)) s, \(Int(rate)) events/s
            """)
    }

    /// The database's own time for the trail's statement: PostgreSQL's EXPLAIN ANALYZE
    /// execution time; on SQLite, the statement run alone.
    static func databaseTime(child: UUID, episodes: [UUID], on sql: any SQLDatabase) async throws -> Double {
        let trail = Audit.trailStatement(forChildren: [child], episodeIDs: episodes, on: sql)
        if sql.dialect.name == "postgresql" {
            let plan = try await sql.raw("EXPLAIN (ANALYZE, FORMAT JSON) \(trail)").first()
            let json = try plan?.decode(column: "QUERY PLAN", as: String.self) ?? "[]"
            let parsed = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]]
            return parsed?.first?["Execution Time"] as? Double ?? 0
        }
        let elapsed = try await ContinuousClock().measure { _ = try await sql.raw("\(trail)").all() }
        return Benchmark.milliseconds(elapsed)
    }
}
