import App
import CAFCore
import Fluent
import SQLKit
import Vapor

/// `ecaf bench-measures`: times every measure through the real path (remit, queries,
/// arithmetic, disclosure control, audit) for an LA's coordinator and for a national analyst,
/// over the last twelve months, and the whole dashboard at once. Prints a markdown table.
/// A benchmark, never a test: scripts/bench-measures loads 100,000 episodes first.
public struct BenchMeasuresCommand: AsyncCommand {
    public struct Signature: CommandSignature {
        public init() {}

        @Option(name: "rounds", help: "Runs of each measure (default 20)")
        var rounds: Int?
        @Option(name: "measure", help: "Time only this measure (for profiling one)")
        var measure: String?
    }

    public init() {}

    public let help =
        "Times each measure for a coordinator and a national analyst; run with --demo on a database with a demo history"

    public func run(using context: CommandContext, signature: Signature) async throws {
        let db = context.application.db
        var viewers: [SignedIn] = []
        for email in ["erin@demo.test", "nat@demo.test"] {
            guard let practitioner = try await Practitioner.query(on: db).filter(\.$email == email).first(),
                let signedIn = try await SignedIn.load(practitioner.id!, on: db)
            else {
                context.console.error("No demo personas: run with --demo")
                throw ExitCode(2)
            }
            viewers.append(signedIn)
        }
        let rounds = try Benchmark.rounds(signature.rounds, default: 20)
        let episodes = try await Episode.query(on: db).count()
        var lines = [
            "\(db.sql.dialect.name), \(episodes) episodes, \(rounds - 1) runs of each (ms)", "",
            "| measure | LA p50 | LA p95 | national p50 | national p95 |", "|---|---:|---:|---:|---:|",
        ]
        var cases = Measure.allCases.map { ($0.rawValue, [$0]) } + [("**whole dashboard**", Measure.allCases)]
        if let only = signature.measure {
            guard let measure = Measure(rawValue: only) else {
                context.console.error("No measure is called \(only)")
                throw ExitCode(2)
            }
            cases = [(only, [measure])]
        }
        for (name, measures) in cases {
            var cells: [String] = []
            for viewer in viewers {
                var times: [Double] = []
                for round in 0..<rounds {
                    let elapsed = try await ContinuousClock().measure {
                        _ = try await MeasureReports.report(measures, filters: .all, by: viewer, on: db)
                    }
                    if round > 0 { times.append(Benchmark.milliseconds(elapsed)) }  // the first warms caches
                }
                cells += [Benchmark.percentile(times, 0.5), Benchmark.percentile(times, 0.95)]
            }
            lines.append("| \(name) | " + cells.joined(separator: " | ") + " |")
        }
        context.console.print(lines.joined(separator: "\n"))
    }
}
