import Foundation

/// The same fan-out load on the seed stack and on fitchat, alternated (seed first), each on a
/// server started fresh for its run; prints every run and then fitchat / seed ratios of the
/// medians, so the baseline is measured on the same machine in the same run.
struct SeedComparison {
    var rooms: Int
    var members: Int
    var senders: Int
    var rate: Double
    var seconds: Double
    var runs: Int
    var seedPython: String
    var seedApp: String

    /// False when a run lost or repeated a message, or the server closed a connection.
    func run() async throws -> Bool {
        var outcomes: [ServerUnderTest.Kind: [FanOut.Outcome]] = [:]
        for _ in 0..<runs {
            for kind in [ServerUnderTest.Kind.seed, .fitchat] {
                let server = try kind == .seed ? SeedStack.start(python: seedPython, app: seedApp) : ServerUnderTest.start()
                defer { server.stop() }
                let fanOut = try await FanOut.prepare(on: server, rooms: rooms, members: members, senders: senders)
                let outcome = try await fanOut.run(rate: rate, seconds: seconds)
                await fanOut.shutdown()
                fanOut.report(outcome)
                outcomes[kind, default: []].append(outcome)
            }
        }
        let seed = outcomes[.seed] ?? [], fitchat = outcomes[.fitchat] ?? []
        report(seed: seed, fitchat: fitchat)
        return (seed + fitchat).allSatisfy(\.complete)
    }

    private func report(seed: [FanOut.Outcome], fitchat: [FanOut.Outcome]) {
        let load = rate > 0 ? "\(Int(rate)) msg/s" : "as fast as possible"
        print("\n### fitchat / seed: \(rooms) room(s) × \(members) members, \(senders) sender(s) per room, \(load), medians of \(runs) run(s) each\n")
        print("| metric | seed stack | fitchat | fitchat / seed |")
        print("|---|---|---|---|")
        let rows: [(String, (FanOut.Outcome) -> Double?, Int)] = [
            ("server CPU %", { $0.cpuPercent }, 0),
            ("bench CPU %", { $0.benchCPUPercent }, 0),
            ("CPU taken by the VM's host %", { $0.stolenPercent }, 0),
            ("deliveries/s", { $0.deliveriesPerSecond }, 0),
            ("latency p50 ms", { $0.latency.milliseconds(at: 50) }, 2),
            ("latency p99 ms", { $0.latency.milliseconds(at: 99) }, 2),
        ]
        for (name, value, digits) in rows {
            let seedMedian = median(seed.compactMap(value)), fitchatMedian = median(fitchat.compactMap(value))
            let ratio = seedMedian.flatMap { base in fitchatMedian.map { base > 0 ? format($0 / base) + "×" : "n/a" } } ?? "n/a"
            print("| \(name) | \(seedMedian.map { format($0, digits) } ?? "n/a") | \(fitchatMedian.map { format($0, digits) } ?? "n/a") | \(ratio) |")
        }
    }

    private func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }
}
