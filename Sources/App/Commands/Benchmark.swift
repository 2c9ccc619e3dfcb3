import Foundation

/// What the benchmark commands share: timings in milliseconds and nearest-rank percentiles.
enum Benchmark {
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
