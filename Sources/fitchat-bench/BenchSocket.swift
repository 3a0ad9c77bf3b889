import Foundation
import Logging
import NIOCore
import Synchronization
import WSClient

/// One benchmark connection: authenticates, joins a room, optionally sends on a schedule, and
/// records every benchmark message it receives (id and send-to-receive latency).
struct BenchSocket {
    struct Plan: Sendable {
        var roomID: Int64
        /// Message ids this connection sends, each at its offset (nanoseconds) from the start.
        var sends: [(id: Int, at: UInt64)] = []
        var schedule: Schedule
    }

    private enum Part: Sendable {
        case sent(Int)
        case received(Received)
    }

    struct Received: Sendable {
        var ids: [Int] = []
        var latencies: [UInt64] = []
        var sent = 0
    }

    static func run(url: String, token: String, plan: Plan) async throws -> Received {
        var configuration = WebSocketClientConfiguration(maxFrameSize: 1 << 20)
        configuration.additionalHeaders[.authorization] = "Bearer \(token)"
        let webSocketURL = url.replacingOccurrences(of: "http://", with: "ws://") + "/ws/chat"
        let result = ResultBox()
        let client = WebSocketClient(url: webSocketURL, configuration: configuration, logger: Logger(label: "fitchat-bench")) { inbound, outbound, _ in
            try await outbound.write(.text(#"{"type":"join_room","data":{"room_id":\#(plan.roomID)}}"#))
            var received = Received()
            try await withThrowingTaskGroup(of: Part.self) { group in
                group.addTask {
                    let start = await plan.schedule.begin()
                    for send in plan.sends {
                        try await waitUntil(start + send.at)
                        let content = "bench \(send.id) \(now())"
                        try await outbound.write(.text(#"{"type":"send_message","data":{"room_id":\#(plan.roomID),"content":"\#(content)"}}"#))
                    }
                    await plan.schedule.awaitEnd()
                    try await outbound.close(.normalClosure, reason: nil)
                    return .sent(plan.sends.count)
                }
                group.addTask {
                    var mine = Received()
                    for try await message in inbound.messages(maxSize: 1 << 20) {
                        guard case .text(let text) = message else { continue }
                        if text.contains(#""type":"room_joined""#) { plan.schedule.joins.joined() }
                        guard text.contains(#""type":"new_message""#), let (id, sentAt) = Self.benchFields(text) else { continue }
                        let arrived = now()
                        mine.ids.append(id)
                        mine.latencies.append(arrived &- sentAt)
                    }
                    return .received(mine)
                }
                var sent = 0
                for try await part in group {
                    switch part {
                    case .sent(let count): sent = count
                    case .received(let mine): received = mine
                    }
                }
                received.sent = sent
            }
            result.set(received)
        }
        _ = try await client.run()
        return result.value
    }

    /// `bench ID SENT_NANOS` from a new_message frame, without decoding the whole JSON.
    static func benchFields(_ text: String) -> (Int, UInt64)? {
        guard let range = text.range(of: #""content":"bench "#) else { return nil }
        let fields = text[range.upperBound...].prefix { $0 != "\"" }.split(separator: " ")
        guard fields.count == 2, let id = Int(fields[0]), let sent = UInt64(fields[1]) else { return nil }
        return (id, sent)
    }
}

/// Monotonic nanoseconds, shared by every connection of this process.
func now() -> UInt64 {
    DispatchTime.now().uptimeNanoseconds
}

func waitUntil(_ deadline: UInt64) async throws {
    let current = now()
    if deadline > current { try await Task.sleep(nanoseconds: deadline - current) }
}

/// Hands the handler's result out of the WebSocket client's closure.
private final class ResultBox: Sendable {
    private let stored = Mutex(BenchSocket.Received())

    func set(_ value: BenchSocket.Received) {
        stored.withLock { $0 = value }
    }

    var value: BenchSocket.Received { stored.withLock { $0 } }
}
