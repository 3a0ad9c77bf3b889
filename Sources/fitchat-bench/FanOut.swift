import Foundation

/// R rooms of M members; S senders per room send `rate` messages per second in all (0: as fast
/// as they can), phases spread over the period. Every member receives; each message must reach
/// the other M - 1 members exactly once.
struct FanOut {
    var rooms: Int
    var members: Int
    var senders: Int
    var rate: Double
    var seconds: Double

    /// Returns false when a message was lost or delivered twice.
    func run(on server: ServerUnderTest) async throws -> Bool {
        let world = try await BenchWorld.make(server: server.url, users: rooms * members)
        var roomIDs: [Int64] = []
        for room in 0..<rooms {
            let first = room * members
            roomIDs.append(try await world.room(owner: first, members: Array(first + 1..<first + members)))
        }
        let total = Int((rate > 0 ? rate : 2000) * seconds)
        let senderCount = rooms * senders
        let interval = rate > 0 ? UInt64(1_000_000_000 / rate) : 0
        let schedule = Schedule(connections: rooms * members)
        let results = try await withThrowingTaskGroup(of: BenchSocket.Received.self) { group in
            for room in 0..<rooms {
                for member in 0..<members {
                    var plan = BenchSocket.Plan(roomID: roomIDs[room], schedule: schedule)
                    if member < senders {
                        let sender = room * senders + member
                        plan.sends = stride(from: sender, to: total, by: senderCount).map { ($0, UInt64($0) * interval) }
                    }
                    let token = world.tokens[room * members + member]
                    group.addTask { try await BenchSocket.run(url: server.url, token: token, plan: plan) }
                }
            }
            let start = await schedule.begin()
            let cpuBefore = server.cpuSeconds
            try await waitUntil(start + UInt64(total) * interval)
            let sendWindow = Double(now() - start) / 1e9
            let cpuAfter = server.cpuSeconds
            // Let the last deliveries arrive; every message has been sent by now.
            try await Task.sleep(for: .seconds(2))
            schedule.finish()
            var all: [BenchSocket.Received] = []
            for try await result in group { all.append(result) }
            return (all, sendWindow, cpuBefore.flatMap { before in cpuAfter.map { ($0 - before) / sendWindow * 100 } })
        }
        await world.api.shutdown()
        return report(results.0, window: results.1, cpuPercent: results.2, total: total)
    }

    private func report(_ results: [BenchSocket.Received], window: Double, cpuPercent: Double?, total: Int) -> Bool {
        let sent = results.reduce(0) { $0 + $1.sent }
        var duplicates = 0
        var delivered = 0
        for result in results {
            delivered += result.ids.count
            duplicates += result.ids.count - Set(result.ids).count
        }
        let expected = sent * (members - 1)
        let lost = expected - (delivered - duplicates)
        let latency = LatencySummary(nanoseconds: results.flatMap(\.latencies))
        printTable("fan-out: \(rooms) room(s) × \(members) members, \(senders) sender(s) per room, \(rate > 0 ? "\(Int(rate)) msg/s" : "as fast as possible")", [
            ("messages sent", "\(sent) of \(total)"),
            ("deliveries (expected)", "\(delivered) (\(expected))"),
            ("lost / duplicated", "\(lost) / \(duplicates)"),
            ("send window", "\(format(window)) s"),
            ("messages/s", format(Double(sent) / window, 0)),
            ("deliveries/s", format(Double(delivered) / window, 0)),
            ("latency p50 / p90 / p99 / max", "\(format(latency.p50)) / \(format(latency.p90)) / \(format(latency.p99)) / \(format(latency.max)) ms"),
            ("server CPU (one core = 100%)", cpuPercent.map { "\(format($0, 0))%" } ?? "n/a (external server)"),
        ])
        return lost == 0 && duplicates == 0 && sent == total
    }
}
