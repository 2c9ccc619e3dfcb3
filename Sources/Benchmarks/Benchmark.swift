import App
import Foundation
import Vapor

/// What the benchmark commands share: timings in milliseconds and nearest-rank percentiles.
enum Benchmark {
    /// Rounds as typed, bounded: the first round warms caches, and more than 10,000 says
    /// nothing more.
    static func rounds(_ typed: Int?, default value: Int) throws -> Int {
        let rounds = typed ?? value
        guard (2...10_000).contains(rounds) else { throw AppError.invalid(field: "rounds", "Give --rounds from 2 to 10000") }
        return rounds
    }

    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.attoseconds) / 1e15 + Double(duration.components.seconds) * 1000
    }

    /// The nearest-rank percentile, to one decimal place; "–" when there are no values.
    static func percentile(_ values: [Double], _ p: Double) -> String {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return "–" }
        return String(format: "%.1f", sorted[min(sorted.count - 1, Int((p * Double(sorted.count)).rounded(.up)) - 1)])
    }
}
