import Foundation

/// N authenticated connections, each joined to a room, held open: the server's memory per
/// connection and how long the ramp took. At most `concurrency` handshakes are in flight, as
/// clients reconnecting after a restart would be spread by their backoff.
struct IdleConnections {
    var connections: Int
    var users: Int
    var concurrency: Int
    var hold: Double

    func run(on server: ServerUnderTest) async throws {
        let world = try await BenchWorld.make(on: server, users: users)
        let room = try await world.room(owner: 0, members: Array(1..<users))
        await world.shutdown()
        try await Task.sleep(for: .milliseconds(500))
        let before = server.residentKiB
        let schedule = Schedule(connections: connections)
        let rampStart = now()
        try await withThrowingTaskGroup(of: BenchSocket.Received.self) { group in
            for index in 0..<connections {
                if index >= concurrency { await schedule.joins.wait(for: index - concurrency + 1) }
                let token = world.tokens[index % users]
                group.addTask { try await BenchSocket.run(url: server.url, token: token, plan: .init(roomID: room, schedule: schedule, target: server.kind)) }
            }
            _ = await schedule.begin()
            let ramp = Double(now() - rampStart) / 1e9
            try await Task.sleep(for: .seconds(hold))
            let after = server.residentKiB
            schedule.finish()
            var closes: [String: Int] = [:]
            for try await result in group {
                if let close = result.serverClose { closes[close, default: 0] += 1 }
            }
            var perConnection: Double?
            if let before, let after { perConnection = Double(after - before) / Double(connections) }
            printTable("idle: \(server.kind.rawValue), \(connections) connections of \(users) users, each joined to a room", [
                ("ramp (connect + join all, \(concurrency) at a time)", "\(format(ramp)) s"),
                ("server RSS before / after", "\(before.map { "\($0 / 1024) MiB" } ?? "n/a") / \(after.map { "\($0 / 1024) MiB" } ?? "n/a")"),
                ("server memory per connection", perConnection.map { "\(format($0, 1)) KiB" } ?? "n/a (external server)"),
                ("closed by the server", closes.isEmpty ? "none" : closes.map { "\($1) × \($0)" }.sorted().joined(separator: ", ")),
            ])
            if !closes.isEmpty { throw BenchError("the server closed \(closes.values.reduce(0, +)) idle connections") }
        }
    }
}
