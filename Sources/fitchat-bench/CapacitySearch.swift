/// The highest sustained delivery rate that keeps p99 under a bound: paced fan-out runs at rising
/// rates until one fails (p99 over the bound, or anything lost, repeated or closed), then a
/// bisection between the last rate that passed and the first that failed.
struct CapacitySearch {
    var start: Double
    var seconds: Double
    var p99Bound: Double
    var bisections: Int

    func run(_ fanOut: FanOut) async throws {
        var steps: [FanOut.Outcome] = []
        var passed: FanOut.Outcome?
        var failedRate: Double?
        var rate = start
        while failedRate == nil {
            let outcome = try await fanOut.run(rate: rate, seconds: seconds)
            steps.append(outcome)
            if passes(outcome) {
                passed = outcome
                rate *= 1.5
            } else {
                failedRate = rate
            }
        }
        for _ in 0..<bisections {
            guard let low = passed?.rate, let high = failedRate else { break }
            let outcome = try await fanOut.run(rate: ((low + high) / 2).rounded(), seconds: seconds)
            steps.append(outcome)
            if passes(outcome) { passed = outcome } else { failedRate = outcome.rate }
        }
        printSteps(steps, title: fanOut.title)
        if let passed {
            fanOut.report(passed)
        } else {
            print("\nNo rate passed; the first step (\(Int(start)) msg/s) already missed p99 < \(format(p99Bound, 0)) ms.")
        }
    }

    private func passes(_ outcome: FanOut.Outcome) -> Bool {
        outcome.complete && outcome.latency.milliseconds(at: 99) < p99Bound
    }

    private func printSteps(_ steps: [FanOut.Outcome], title: String) {
        print("\n### capacity: \(title), \(format(seconds, 0)) s per step, pass = nothing lost and p99 < \(format(p99Bound, 0)) ms\n")
        print("| msg/s | deliveries/s | p50 ms | p99 ms | max ms | lost | server CPU | bench CPU | pass |")
        print("|---|---|---|---|---|---|---|---|---|")
        for step in steps {
            let cells = [
                "\(Int(step.rate))", format(step.deliveriesPerSecond, 0), format(step.latency.milliseconds(at: 50)),
                format(step.latency.milliseconds(at: 99)), format(step.latency.maxMilliseconds), "\(step.lost)",
                step.cpuPercent.map { "\(format($0, 0))%" } ?? "n/a", step.benchCPUPercent.map { "\(format($0, 0))%" } ?? "n/a",
                passes(step) ? "yes" : "no",
            ]
            print("| " + cells.joined(separator: " | ") + " |")
        }
    }
}
