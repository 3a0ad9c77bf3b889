import FitChatTestSupport
import Foundation
import Testing

/// The benchmark's small configuration, so it cannot rot: it must produce its numbers and lose
/// nothing. How fast it runs is not checked here (BENCHMARKS.md has the real runs).
@Suite struct BenchSmokeTests {
    @Test func theSmokeRunProducesEveryTableAndLosesNothing() async throws {
        let binary = ServerProcess.binary.deletingLastPathComponent().appendingPathComponent("fitchat-bench")
        let result = try await ChildProcess.run(binary, ["smoke"], environment: ProcessInfo.processInfo.environment)
        let output = result.stdout.joined(separator: "\n")
        #expect(result.status == 0, "\(result.stderr)")
        for table in ["### idle:", "### fan-out:", "### one-shot send:"] { #expect(output.contains(table), "\(output)") }
        #expect(output.contains("| lost / duplicated | 0 / 0 |"))
        #expect(output.contains("| messages sent | 200 of 200 |"))
        let perConnection = output.split(separator: "\n").first { $0.hasPrefix("| server memory per connection |") }
        #expect(perConnection?.contains("KiB") == true, "no memory figure: \(output)")
        let ratio = output.split(separator: "\n").first { $0.hasPrefix("| ratio (medians) |") }
        #expect(ratio?.contains("x") == true, "no CLI ratio: \(output)")
    }
}
