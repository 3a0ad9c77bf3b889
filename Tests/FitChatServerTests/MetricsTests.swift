import FitChatProtocol
import FitChatTestSupport
import Foundation
import Testing

/// `GET /metrics`: the Prometheus text an operator scrapes, moving with what the server does.
@Suite struct MetricsTests {
    /// The server's metrics now, as series (`name{labels}`) to values.
    static func scrape(_ baseURL: String) async throws -> [String: Double] {
        let reply = try await APIClient(baseURL: baseURL).get("/metrics")
        #expect(reply.status == 200)
        #expect(reply.headers.first(name: "content-type")?.hasPrefix("text/plain; version=0.0.4") == true)
        var series: [String: Double] = [:]
        for line in String(decoding: reply.body, as: UTF8.self).split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else {
                throw TestFailure("not a sample line: \(line)")
            }
            series[String(line[..<space])] = value
        }
        return series
    }

    @Test func countersAndHistogramsMoveWithTraffic() async throws {
        try await withServer(configure: { $0.limits.sendBurst = 3; $0.limits.sendRefillPerSecond = 0.01 }) { server in
            let ann = try await server.register("ann")
            let bob = try await server.register("bob")
            let room = try await server.group("general", owner: ann, members: [bob])
            let annSocket = try await TestSocket.connect(server, as: ann)
            let bobSocket = try await TestSocket.connect(server, as: bob)
            _ = try await annSocket.join(room.id)
            _ = try await bobSocket.join(room.id)
            let before = try await Self.scrape(server.baseURL)
            #expect(before["fitchat_connections_open"] == 2)

            try annSocket.send(.sendMessage(SendMessage(roomID: room.id, content: "hello")), id: "m1")
            _ = try await annSocket.next("message_sent")
            _ = try await bobSocket.next("new_message")
            annSocket.sendRaw("{not json")
            _ = try await annSocket.next("error")
            let after = try await Self.scrape(server.baseURL)

            #expect(after["fitchat_messages_stored_total"] == (before["fitchat_messages_stored_total"] ?? 0) + 1)
            #expect(after["fitchat_deliveries_total"] == (before["fitchat_deliveries_total"] ?? 0) + 1, "only bob's connection gets it")
            #expect((after["fitchat_frames_received_total"] ?? 0) >= (before["fitchat_frames_received_total"] ?? 0) + 2)
            #expect((after["fitchat_frames_sent_total"] ?? 0) > (before["fitchat_frames_sent_total"] ?? 0))
            #expect(after[#"fitchat_errors_total{code="bad_json"}"#] == 1)
            #expect((after["fitchat_store_commit_seconds_count"] ?? 0) >= 1)
            let fanOuts = try #require(after["fitchat_fanout_latency_seconds_count"])
            #expect(fanOuts >= 1)
            #expect(after[#"fitchat_fanout_latency_seconds_bucket{le="+Inf"}"#] == fanOuts)
            #expect(after.keys.contains { $0.hasPrefix(#"fitchat_fanout_latency_seconds_bucket{le="0.001"#) }, "histograms come with buckets")

            // Two more sends use up the burst of 3; the next is refused and counted.
            for index in 2...4 { try annSocket.send(.sendMessage(SendMessage(roomID: room.id, content: "m\(index)")), id: "m\(index)") }
            _ = try await annSocket.next("error")
            let limited = try await Self.scrape(server.baseURL)
            #expect(limited["fitchat_rate_limited_total"] == 1)
            #expect(limited[#"fitchat_errors_total{code="rate_limited"}"#] == 1)

            await bobSocket.close()
            var closed = try await Self.scrape(server.baseURL)
            for _ in 0..<50 where closed["fitchat_connections_open"] != 1 {
                try await Task.sleep(for: .milliseconds(20))
                closed = try await Self.scrape(server.baseURL)
            }
            #expect(closed["fitchat_connections_open"] == 1)
            #expect(closed[#"fitchat_connections_closed_total{code="1000"}"#] == 1)
            #expect(closed["fitchat_connections_opened_total"] == 2)
        }
    }

    @Test func restErrorsAreCountedByCode() async throws {
        try await withServer { server in
            let ann = try await server.register("ann")
            #expect(try await ann.api.get("/api/rooms/\(ChatID.random())").status == 404)
            #expect(try await server.anonymous.get("/api/users/me").status == 401)
            let metrics = try await Self.scrape(server.baseURL)
            #expect(metrics[#"fitchat_errors_total{code="not_found"}"#] == 1)
            #expect(metrics[#"fitchat_errors_total{code="unauthorized"}"#] == 1)
        }
    }
}
