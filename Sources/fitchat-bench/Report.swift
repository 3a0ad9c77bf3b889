import Foundation
import Histogram

/// Latencies in an HdrHistogram: microsecond resolution, three significant digits, up to a
/// minute; one per connection, merged for the report.
struct LatencyHistogram: Sendable {
    private var histogram = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)

    var count: UInt64 { histogram.totalCount }

    mutating func record(nanoseconds: UInt64) {
        // Beyond a minute is clamped to a minute: the run has failed by then anyway.
        _ = histogram.record(min(max(nanoseconds / 1000, 1), 60_000_000))
    }

    mutating func add(_ other: LatencyHistogram) {
        histogram.add(other.histogram)
    }

    /// Milliseconds at a percentile (0...100).
    func milliseconds(at percentile: Double) -> Double {
        Double(histogram.valueAtPercentile(percentile)) / 1000
    }

    var maxMilliseconds: Double { Double(histogram.max) / 1000 }

    /// `p50 / p90 / p99 / max` in milliseconds, as the tables show it.
    var summary: String {
        guard count > 0 else { return "n/a (nothing received)" }
        return [50, 90, 99].map { format(milliseconds(at: $0)) }.joined(separator: " / ") + " / \(format(maxMilliseconds)) ms"
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
