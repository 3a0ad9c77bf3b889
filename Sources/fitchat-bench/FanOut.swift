import FitChatProtocol
import Foundation

/// R rooms of the same M members (one connection per member and room); S senders per room send
/// `rate` messages per second in all (0: as fast as they can), phases spread over the period.
/// Every message must reach the other M - 1 connections of its room exactly once.
struct FanOut {
    let rooms: Int
    let members: Int
    let senders: Int
    private let world: BenchWorld
    private let roomIDs: [RoomID]
    private let server: ServerUnderTest
    /// Another node sharing the server's database: where the senders connect (`sendersOnly`),
    /// or every second room's connections.
    private let secondNode: (url: String, sendersOnly: Bool)?

    /// What one run measured.
    struct Outcome {
        var rate: Double
        var total: Int
        var sent: Int
        var expected: Int
        var delivered: Int
        var lost: Int
        var duplicated: Int
        /// First due send to last arrival.
        var duration: Double
        var latency: LatencyHistogram
        var worstSendLag: Double
        var serverCloses: [String: Int]
        var cpuPercent: Double?
        /// The load generator's own CPU: server and bench share the machine's cores.
        var benchCPUPercent: Double?
        /// The share of the machine's CPU time the host took during the run.
        var stolenPercent: Double?

        var deliveriesPerSecond: Double { Double(delivered) / duration }
        var complete: Bool { lost == 0 && duplicated == 0 && sent == total && serverCloses.isEmpty }
    }

    /// Registers the members and creates the rooms; runs can then be repeated at several rates.
    static func prepare(on server: ServerUnderTest, rooms: Int, members: Int, senders: Int, secondNode: (url: String, sendersOnly: Bool)? = nil) async throws -> FanOut {
        guard members >= 2, (1...members).contains(senders), rooms >= 1 else {
            throw BenchError("fan-out needs at least 2 members, 1 to --members senders, and a room")
        }
        let world = try await BenchWorld.make(on: server, users: members)
        var roomIDs: [RoomID] = []
        for _ in 0..<rooms { roomIDs.append(try await world.room(owner: 0, members: Array(1..<members))) }
        return FanOut(rooms: rooms, members: members, senders: senders, world: world, roomIDs: roomIDs, server: server, secondNode: secondNode)
    }

    func shutdown() async {
        await world.shutdown()
    }

    /// Sends `rate × seconds` messages (2,000 × seconds when `rate` is 0), then waits until every
    /// delivery arrived or none arrived for `settle` seconds.
    func run(rate: Double, seconds: Double, settle: Double = 5) async throws -> Outcome {
        let total = Int((rate > 0 ? rate : 2000) * seconds)
        let senderCount = rooms * senders
        let interval = rate > 0 ? 1_000_000_000 / rate : 0
        let schedule = Schedule(connections: rooms * members)
        let arrivals = Counter()
        let expected = total * (members - 1)
        let results = try await withThrowingTaskGroup(of: BenchSocket.Received.self) { group in
            for room in 0..<rooms {
                for member in 0..<members {
                    var plan = BenchSocket.Plan(roomID: roomIDs[room], schedule: schedule, arrivals: arrivals, target: server.kind)
                    if member < senders {
                        let sender = room * senders + member
                        plan.sends = stride(from: sender, to: total, by: senderCount).map { ($0, UInt64(Double($0) * interval)) }
                    }
                    let token = world.tokens[member]
                    let onSecond = secondNode.map { $0.sendersOnly ? member < senders : room % 2 == 1 } ?? false
                    let url = onSecond ? secondNode?.url ?? server.url : server.url
                    group.addTask { try await BenchSocket.run(url: url, token: token, plan: plan) }
                }
            }
            let start = await schedule.begin()
            let cpuBefore = server.cpuSeconds
            let benchBefore = ServerUnderTest.cpuSeconds(of: getpid())
            let machineBefore = ServerUnderTest.machineTicks()
            try await waitUntil(start)
            let lastArrival = try await Self.drain(arrivals, expected: expected, settle: settle)
            let cpuAfter = server.cpuSeconds
            let benchAfter = ServerUnderTest.cpuSeconds(of: getpid())
            let machineAfter = ServerUnderTest.machineTicks()
            let elapsed = Double(now() - start) / 1e9
            schedule.finish()
            var all: [BenchSocket.Received] = []
            for try await result in group { all.append(result) }
            let duration = Double(max(lastArrival, start + 1) - start) / 1e9
            func percent(_ before: Double?, _ after: Double?) -> Double? {
                before.flatMap { before in after.map { ($0 - before) / elapsed * 100 } }
            }
            let stolen = machineBefore.flatMap { before in
                machineAfter.flatMap { after in after.total > before.total ? (after.stolen - before.stolen) / (after.total - before.total) * 100 : nil }
            }
            return (all, duration, percent(cpuBefore, cpuAfter), percent(benchBefore, benchAfter), stolen)
        }
        var outcome = Outcome(
            rate: rate, total: total, sent: 0, expected: 0, delivered: 0, lost: 0, duplicated: 0, duration: results.1,
            latency: LatencyHistogram(), worstSendLag: 0, serverCloses: [:], cpuPercent: results.2,
            benchCPUPercent: results.3, stolenPercent: results.4
        )
        for result in results.0 {
            outcome.sent += result.sent
            outcome.delivered += result.ids.count
            outcome.duplicated += result.ids.count - Set(result.ids).count
            outcome.latency.add(result.latency)
            outcome.worstSendLag = max(outcome.worstSendLag, Double(result.worstSendLag) / 1e6)
            if let close = result.serverClose { outcome.serverCloses[close, default: 0] += 1 }
        }
        outcome.expected = outcome.sent * (members - 1)
        outcome.lost = outcome.expected - (outcome.delivered - outcome.duplicated)
        return outcome
    }

    /// Waits for `expected` arrivals, or until none arrived for `settle` seconds; returns the
    /// time of the last arrival.
    private static func drain(_ arrivals: Counter, expected: Int, settle: Double) async throws -> UInt64 {
        var seen = arrivals.value
        var lastChange = now()
        while seen < expected, now() - lastChange < UInt64(settle * 1e9) {
            try await Task.sleep(for: .milliseconds(5))
            let count = arrivals.value
            if count != seen {
                seen = count
                lastChange = now()
            }
        }
        return lastChange
    }

    var title: String {
        "\(server.kind.rawValue), \(rooms) room(s) × \(members) members, \(senders) sender(s) per room"
            + (secondNode.map { $0.sendersOnly ? ", senders on \($0.url)" : ", every second room on \($0.url)" } ?? "")
    }

    func report(_ outcome: Outcome) {
        printTable("fan-out: \(title), \(outcome.rate > 0 ? "\(Int(outcome.rate)) msg/s" : "as fast as possible")", [
            ("messages sent", "\(outcome.sent) of \(outcome.total)"),
            ("deliveries (expected)", "\(outcome.delivered) (\(outcome.expected))"),
            ("lost / duplicated", "\(outcome.lost) / \(outcome.duplicated)"),
            ("closed by the server", outcome.serverCloses.isEmpty ? "none" : outcome.serverCloses.map { "\($1) × \($0)" }.sorted().joined(separator: ", ")),
            ("first send to last delivery", "\(format(outcome.duration)) s"),
            ("messages/s", format(Double(outcome.sent) / outcome.duration, 0)),
            ("deliveries/s", format(outcome.deliveriesPerSecond, 0)),
            ("latency p50 / p90 / p99 / max", outcome.latency.summary),
            ("bench's own worst send lag", "\(format(outcome.worstSendLag)) ms"),
            ("server CPU (one core = 100%)", outcome.cpuPercent.map { "\(format($0, 0))%" } ?? "n/a (external server)"),
            ("bench CPU, same machine", outcome.benchCPUPercent.map { "\(format($0, 0))%" } ?? "n/a"),
            ("CPU time the VM's host took (steal)", outcome.stolenPercent.map { "\(format($0, 0))%" } ?? "n/a"),
        ])
    }
}
