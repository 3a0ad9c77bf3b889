import Foundation

/// Latency percentiles from every sample (sorted once; exact, not bucketed).
struct LatencySummary {
    let count: Int
    let p50, p90, p99, max: Double

    init(nanoseconds samples: [UInt64]) {
        let sorted = samples.sorted()
        count = sorted.count
        func at(_ fraction: Double) -> Double {
            guard !sorted.isEmpty else { return 0 }
            return Double(sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))]) / 1_000_000
        }
        p50 = at(0.5)
        p90 = at(0.9)
        p99 = at(0.99)
        max = Double(sorted.last ?? 0) / 1_000_000
    }
}

/// A two-column table, as BENCHMARKS.md shows them.
func printTable(_ title: String, _ rows: [(String, String)]) {
    print("\n### \(title)\n")
    print("| metric | value |")
    print("|---|---|")
    for (name, value) in rows { print("| \(name) | \(value) |") }
}

func format(_ value: Double, _ digits: Int = 2) -> String {
    String(format: "%.\(digits)f", value)
}
