import FitChatProtocol
import Glibc
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
                    var joined = false
                    for try await message in inbound.messages(maxSize: 1 << 20) {
                        guard case .text(var text) = message else { continue }
                        let frame = text.withUTF8 { FrameScan(UnsafeRawBufferPointer($0)) }
                        if !joined, frame.isRoomJoined {
                            joined = true
                            result.markJoined()
                            plan.schedule.joins.add()
                        }
                        guard let (id, due) = frame.benchMessage, !ownIDs.contains(id) else { continue }
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
}

/// What the bench needs of a frame, found in its UTF-8 bytes without decoding the JSON (the
/// bench shares the machine with the server: `String.contains` through Foundation was 43% of
/// its CPU). Python's `json.dumps` puts a space after the colon, fitchat does not.
struct FrameScan {
    var isRoomJoined = false
    /// `bench ID DUE_NANOS` of a `new_message`.
    var benchMessage: (id: Int, due: UInt64)?

    init(_ bytes: UnsafeRawBufferPointer) {
        if Self.find("new_message", in: bytes) != nil, let key = Self.find(#""content":"#, in: bytes) {
            benchMessage = Self.benchFields(bytes, from: key + 10)
        } else {
            isRoomJoined = Self.find("room_joined", in: bytes) != nil
        }
    }

    /// Where `needle` first starts in `bytes` (memchr for its first byte, memcmp for the rest;
    /// Glibc's `memmem` is not exported to Swift).
    private static func find(_ needle: StaticString, in bytes: UnsafeRawBufferPointer) -> Int? {
        guard let base = bytes.baseAddress else { return nil }
        return needle.withUTF8Buffer { needle -> Int? in
            guard let first = needle.first, let rest = needle.baseAddress else { return nil }
            var offset = 0
            while bytes.count - offset >= needle.count, let hit = memchr(base + offset, Int32(first), bytes.count - offset - needle.count + 1) {
                let position = base.distance(to: UnsafeRawPointer(hit))
                if memcmp(hit, rest, needle.count) == 0 { return position }
                offset = position + 1
            }
            return nil
        }
    }

    /// `"bench ID DUE"` from `start` (after optional spaces); nil for anything else.
    private static func benchFields(_ bytes: UnsafeRawBufferPointer, from start: Int) -> (Int, UInt64)? {
        var index = start
        while index < bytes.count, bytes[index] == UInt8(ascii: " ") { index += 1 }
        for expected in #""bench "#.utf8 {
            guard index < bytes.count, bytes[index] == expected else { return nil }
            index += 1
        }
        guard let id = number(bytes, &index), index < bytes.count, bytes[index] == UInt8(ascii: " ") else { return nil }
        index += 1
        guard let due = number(bytes, &index), index < bytes.count, bytes[index] == UInt8(ascii: "\""), let small = Int(exactly: id) else { return nil }
        return (small, due)
    }

    /// Decimal digits at `index`, moved past them; nil when there are none or they overflow.
    private static func number(_ bytes: UnsafeRawBufferPointer, _ index: inout Int) -> UInt64? {
        var value: UInt64 = 0
        let start = index
        while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
            let (times, overflowTimes) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflowSum) = times.addingReportingOverflow(UInt64(bytes[index] - UInt8(ascii: "0")))
            guard !overflowTimes, !overflowSum else { return nil }
            value = sum
            index += 1
        }
        return index > start ? value : nil
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
