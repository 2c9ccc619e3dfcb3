import App
import CAFCore
import Fluent
import SQLKit
import Vapor

/// `ecaf bench-search`: times a fixed mix of index searches against whatever children the
/// database holds (scripts/bench-search loads a synthetic million), through the real search
/// path (index, ranking, audit) and, beside it, the database's own time for the same SQL.
/// Prints a markdown table. A benchmark, never a test.
public struct BenchSearchCommand: AsyncCommand {
    public struct Signature: CommandSignature {
        public init() {}

        @Option(name: "rounds", help: "Searches of each kind (default 100)")
        var rounds: Int?
    }

    public init() {}

    public let help = "Times a fixed mix of child searches; run with --demo on a database loaded by scripts/bench-search"

    struct Sample: Sendable {
        let given: String, family: String, dateOfBirth: String, postcode: String?, nhsNumber: String?
        let otherName: String?
    }

    public func run(using context: CommandContext, signature: Signature) async throws {
        let db = context.application.db
        let sql = db.sql
        guard
            let amy = try await Practitioner.query(on: db).filter(\.$email == "amy@demo.test").first(),
            let signedIn = try await SignedIn.load(amy.id!, on: db)
        else {
            context.console.error("No demo practitioner: run with --demo")
            throw ExitCode(2)
        }
        let rounds = try Benchmark.rounds(signature.rounds, default: 100)
        let samples = try await Self.samples(rounds, on: sql)
        guard samples.count == rounds else {
            context.console.error("Found \(samples.count) children with other names; load data with scripts/bench-search")
            throw ExitCode(2)
        }
        var rows: [(String, [Double], [Double])] = []
        for (kind, make) in Self.mix {
            var app: [Double] = [], database: [Double] = []
            for (index, sample) in samples.enumerated() {
                let query = make(sample)
                let clock = ContinuousClock()
                let elapsed = try await clock.measure { _ = try await ChildIndex.search(query, by: signedIn, on: db) }
                let own = try await Self.databaseTime(of: query, on: db)
                if index > 0 {  // the first of each kind warms caches
                    app.append(Benchmark.milliseconds(elapsed))
                    database.append(own)
                }
            }
            rows.append((kind, app, database))
        }
        let children = try await sql.raw("SELECT count(*) AS n FROM children").first()?.decode(column: "n", as: Int.self) ?? 0
        context.console.print(Self.table(rows, children: children, database: sql.dialect.name))
    }

    /// The fixed mix: what practitioners type, built from a real child's details.
    static let mix: [(String, @Sendable (Sample) -> ChildIndex.Query)] = [
        ("full name", { query(name: "\($0.given) \($0.family)") }),
        ("full name, one typo", { query(name: "\($0.given) \(typo($0.family))") }),
        ("parts of names", { query(name: "\($0.given.prefix(3)) \($0.family.prefix(4))") }),
        ("last name and date of birth", { query(name: $0.family, dateOfBirth: $0.dateOfBirth) }),
        (
            "wildcard and year of birth",
            {
                query(
                    name: "\($0.family.prefix(2))*\($0.family.suffix(2))", dateOfBirth: "\($0.dateOfBirth.prefix(4))-01-01",
                    bornTo: "\($0.dateOfBirth.prefix(4))-12-31")
            }
        ),
        (
            "first name and postcode district",
            { query(name: $0.given, postcode: String(($0.postcode ?? "").split(separator: " ").first ?? "")) }
        ),
        ("known-as or previous name", { query(name: $0.otherName ?? "") }),
        ("date of birth alone", { query(dateOfBirth: $0.dateOfBirth) }),
        ("NHS number", { query(identifier: $0.nhsNumber ?? "") }),
    ]

    static func query(
        name: String = "", dateOfBirth: String = "", bornTo: String = "", postcode: String = "", identifier: String = ""
    ) -> ChildIndex.Query {
        var query = ChildIndex.Query.empty
        (query.name, query.dateOfBirth, query.bornTo) = (name, dateOfBirth, bornTo)
        (query.postcode, query.identifier) = (postcode, identifier)
        return query
    }

    /// Two neighbouring letters swapped, the commonest slip.
    static func typo(_ name: String) -> String {
        var letters = Array(name)
        guard letters.count > 3 else { return name }
        letters.swapAt(2, 3)
        return String(letters)
    }

    /// Children at random with everything the mix needs.
    static func samples(_ count: Int, on sql: any SQLDatabase) async throws -> [Sample] {
        let rows = try await sql.raw(
            """
            SELECT c.given_name, c.family_name, c.date_of_birth, c.postcode, c.nhs_number, n.given_name AS other_given,
            n.family_name AS other_family FROM child_names n JOIN children c ON c.id = n.child_id
            WHERE n.kind <> 'current' AND c.postcode IS NOT NULL AND c.nhs_number IS NOT NULL
            ORDER BY random() LIMIT \(literal: count)
            """
        ).all()
        return try rows.map { row in
            Sample(
                given: try row.decode(column: "given_name", as: String.self),
                family: try row.decode(column: "family_name", as: String.self),
                dateOfBirth: try row.decode(column: "date_of_birth", as: String.self),
                postcode: try row.decode(column: "postcode", as: String?.self),
                nhsNumber: try row.decode(column: "nhs_number", as: String?.self),
                otherName:
                    "\(try row.decode(column: "other_given", as: String.self)) \(try row.decode(column: "other_family", as: String.self))"
            )
        }
    }

    /// Milliseconds the database itself takes over the search's main query: PostgreSQL's
    /// EXPLAIN ANALYZE execution time; on SQLite, the query run alone and discarded.
    static func databaseTime(of query: ChildIndex.Query, on db: any Database) async throws -> Double {
        let terms = NameMatch.terms(query.name)
        let search = ChildIndex.nameSearch(for: db)
        let statement =
            terms.isEmpty
            ? query.filters.query(limit: ChildIndex.resultCap + 1)
            : search.query(terms: terms, filters: query.filters, limit: ChildIndex.candidateLimit, enough: ChildIndex.resultCap)
        return try await db.transaction { db in
            let sql = db.sql
            if !terms.isEmpty, let setUp = search.setUp { try await sql.raw(setUp).run() }
            if sql.dialect.name == "postgresql" {
                let plan = try await sql.raw("EXPLAIN (ANALYZE, FORMAT JSON) " + statement).first()
                let json = try plan?.decode(column: "QUERY PLAN", as: String.self) ?? "[]"
                let parsed = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]]
                return parsed?.first?["Execution Time"] as? Double ?? .nan
            }
            let start = ContinuousClock.now
            _ = try await sql.raw(statement).all()
            return Benchmark.milliseconds(ContinuousClock.now - start)
        }
    }

    static func table(_ rows: [(String, [Double], [Double])], children: Int, database: String) -> String {
        let percentile = Benchmark.percentile
        var lines = [
            "\(database), \(children) children, \(rows.first?.1.count ?? 0) searches of each kind (ms)", "",
            "| search | p50 | p95 | p99 | database p50 | database p95 | database p99 |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        let all = rows + [("**all**", rows.flatMap(\.1), rows.flatMap(\.2))]
        for (kind, app, own) in all {
            lines.append(
                "| \(kind) | \(percentile(app, 0.5)) | \(percentile(app, 0.95)) | \(percentile(app, 0.99)) | "
                    + "\(percentile(own, 0.5)) | \(percentile(own, 0.95)) | \(percentile(own, 0.99)) |")
        }
        return lines.joined(separator: "\n")
    }
}
