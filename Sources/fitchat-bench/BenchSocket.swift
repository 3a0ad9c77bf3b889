import FitChatProtocol
import Histogram
import Logging
import NIOCore
import NIOWebSocket
import Synchronization
import WSClient

/// One benchmark connection: authenticates, joins a room, optionally sends on a schedule, and
/// records every benchmark message it receives (id and send-to-receive latency).
struct BenchSocket {
    struct Plan: Sendable {
        var roomID: RoomID
        /// Message ids this connection sends, each at its offset (nanoseconds) from the start.
        var sends: [(id: Int, at: UInt64)] = []
        var schedule: Schedule
        /// Counts benchmark messages received by every connection of the run.
        var arrivals: Counter? = nil
        /// The seed stack takes the token in the query and echoes a message to its sender too
        /// (fitchat answers the sender with `message_sent`); the echo is not counted.
        var target: ServerUnderTest.Kind = .fitchat
    }

    private enum Part: Sendable {
        case sent(count: Int, worstLag: UInt64)
        case received(Received)
    }

    /// What one connection saw.
    struct Received: Sendable {
        var ids: [Int] = []
        /// Send-to-receive latency in microseconds, from the moment each message was due.
        var latency = LatencyHistogram()
        var sent = 0
        /// How late this connection's sends went out against their schedule (the bench's own lag).
        var worstSendLag: UInt64 = 0
        /// The close code when the server, not the bench, ended the connection.
        var serverClose: String?
    }

    static func run(url: String, token: String, plan: Plan) async throws -> Received {
        var configuration = WebSocketClientConfiguration(maxFrameSize: 1 << 20)
        var webSocketURL = url.replacingOccurrences(of: "http://", with: "ws://") + "/ws/chat"
        if plan.target == .seed {
            webSocketURL += "?token=" + token
        } else {
            configuration.additionalHeaders[.authorization] = "Bearer \(token)"
        }
        let ownIDs = plan.target == .seed ? Set(plan.sends.map(\.id)) : []
        let result = ResultBox()
        let client = WebSocketClient(url: webSocketURL, configuration: configuration, logger: Logger(label: "fitchat-bench")) { inbound, outbound, _ in
            try await outbound.write(.text(#"{"type":"join_room","data":{"room_id":"\#(plan.roomID)"}}"#))
            var received = Received()
            try await withThrowingTaskGroup(of: Part.self) { group in
                group.addTask {
                    let start = await plan.schedule.begin()
                    var worstLag: UInt64 = 0
                    var sent = 0
                    do {
                        for send in plan.sends {
                            let due = start + send.at
                            try await waitUntil(due)
                            worstLag = max(worstLag, now() &- due)
                            // The due time, not the actual one: a late send counts against latency
                            // (no coordinated omission).
                            let content = "bench \(send.id) \(due)"
                            try await outbound.write(.text(#"{"type":"send_message","data":{"room_id":"\#(plan.roomID)","content":"\#(content)"}}"#))
                            sent += 1
                        }
                        await plan.schedule.awaitEnd()
                        try await outbound.close(.normalClosure, reason: nil)
                    } catch {
                        // The server closed the connection: the report counts what was sent.
                    }
                    return .sent(count: sent, worstLag: worstLag)
                }
                group.addTask {
                    var mine = Received()
                    for try await message in inbound.messages(maxSize: 1 << 20) {
                        guard case .text(let text) = message else { continue }
                        if !result.joined, text.contains("room_joined") {
                            result.markJoined()
                            plan.schedule.joins.add()
                        }
                        guard text.contains("new_message"), let (id, due) = Self.benchFields(text), !ownIDs.contains(id) else { continue }
                        mine.latency.record(nanoseconds: now() &- due)
                        mine.ids.append(id)
                        plan.arrivals?.add()
                    }
                    return .received(mine)
                }
                for try await part in group {
                    switch part {
                    case .sent(let count, let lag):
                        received.sent = count
                        received.worstSendLag = lag
                    case .received(let mine):
                        received.ids = mine.ids
                        received.latency = mine.latency
                    }
                }
            }
            result.set(received)
        }
        let closeFrame: WebSocketCloseFrame?
        do {
            closeFrame = try await client.run()
        } catch {
            // A connection that never joined must not hold the others back at the start line.
            if !result.joined { plan.schedule.joins.add() }
            throw error
        }
        var received = result.value
        if !result.joined {
            plan.schedule.joins.add()
            received.serverClose = received.serverClose ?? "closed before room_joined"
        }
        if let closeFrame, closeFrame.closeCode != .normalClosure {
            received.serverClose = "\(UInt16(webSocketErrorCode: closeFrame.closeCode))" + (closeFrame.reason.map { " \($0)" } ?? "")
        }
        return received
    }

    /// `bench ID DUE_NANOS` from a new_message frame, without decoding the whole JSON (Python's
    /// `json.dumps` puts a space after the colon, fitchat does not).
    static func benchFields(_ text: String) -> (Int, UInt64)? {
        guard let key = text.range(of: #""content":"#) else { return nil }
        let value = text[key.upperBound...].drop { $0 == " " }
        guard value.hasPrefix(#""bench "#) else { return nil }
        let fields = value.dropFirst(7).prefix { $0 != "\"" }.split(separator: " ")
        guard fields.count == 2, let id = Int(fields[0]), let due = UInt64(fields[1]) else { return nil }
        return (id, due)
    }
}

/// Hands the handler's result out of the WebSocket client's closure.
private final class ResultBox: Sendable {
    private let stored = Mutex((received: BenchSocket.Received(), joined: false))

    func set(_ value: BenchSocket.Received) {
        stored.withLock { $0.received = value }
    }

    func markJoined() {
        stored.withLock { $0.joined = true }
    }

    var value: BenchSocket.Received { stored.withLock { $0.received } }
    var joined: Bool { stored.withLock { $0.joined } }
}
