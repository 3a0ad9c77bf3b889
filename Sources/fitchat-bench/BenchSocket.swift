import FitChatProtocol
import Foundation
import Glibc
import Histogram
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket

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

    /// Connects, joins, sends on the plan's schedule, hangs up when the run ends; returns what
    /// arrived. Frames are read by a handler on the connection's event loop, which timestamps
    /// them as they come off the socket: no task wakes up per frame, so the bench costs less of
    /// the two cores it shares with the server and its own hop is not counted as latency.
    static func run(url: String, token: String, plan: Plan) async throws -> Received {
        guard let address = URLComponents(string: url), let host = address.host, let port = address.port else {
            throw BenchError("not a server URL: \(url)")
        }
        var headers = HTTPHeaders([("Host", "\(host):\(port)"), ("Content-Length", "0")])
        if plan.target != .seed { headers.add(name: "Authorization", value: "Bearer \(token)") }
        let request = HTTPRequestHead(
            version: .http1_1, method: .GET, uri: plan.target == .seed ? "/ws/chat?token=" + token : "/ws/chat", headers: headers
        )
        let ownIDs = plan.target == .seed ? Set(plan.sends.map(\.id)) : []
        let outcome: Upgrade
        do {
            outcome = try await connect(host: host, port: port, request: request, plan: plan, ownIDs: ownIDs).get()
        } catch {
            // A connection that never joined must not hold the others back at the start line.
            plan.schedule.joins.add()
            throw error
        }
        guard case .upgraded(let channel, let joined, let done, let control) = outcome else {
            plan.schedule.joins.add()
            return Received(serverClose: "the server refused the WebSocket upgrade")
        }
        channel.writeAndFlush(textFrame(#"{"type":"join_room","data":{"room_id":"\#(plan.roomID)"}}"#), promise: nil)
        if (try? await joined.get()) != nil {
            control.startSending(await plan.schedule.begin())
            await plan.schedule.awaitEnd()
            control.hangUp()
        }
        return try await done.get()
    }

    /// Opens the TCP connection and asks for the upgrade; the future says how it went.
    private static func connect(
        host: String, port: Int, request: HTTPRequestHead, plan: Plan, ownIDs: Set<Int>
    ) async throws -> EventLoopFuture<Upgrade> {
        try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let upgrader = NIOTypedWebSocketClientUpgrader<Upgrade>(maxFrameSize: 1 << 20) { channel, _ in
                        channel.eventLoop.makeCompletedFuture {
                            let receiver = BenchReceiver(plan: plan, ownIDs: ownIDs, eventLoop: channel.eventLoop)
                            try channel.pipeline.syncOperations.addHandler(
                                NIOWebSocketFrameAggregator(minNonFinalFragmentSize: 0, maxAccumulatedFrameCount: 64, maxAccumulatedFrameSize: 1 << 20)
                            )
                            try channel.pipeline.syncOperations.addHandler(receiver)
                            let bound = NIOLoopBound(receiver, eventLoop: channel.eventLoop)
                            let control = Control(
                                startSending: { start in channel.eventLoop.execute { bound.value.startSending(at: start) } },
                                hangUp: { channel.eventLoop.execute { bound.value.hangUp() } }
                            )
                            return .upgraded(channel, joined: receiver.joined.futureResult, done: receiver.done.futureResult, control: control)
                        }
                    }
                    let configuration = NIOTypedHTTPClientUpgradeConfiguration<Upgrade>(
                        upgradeRequestHead: request,
                        upgraders: [upgrader],
                        notUpgradingCompletionHandler: { channel in
                            channel.close(promise: nil)
                            return channel.eventLoop.makeSucceededFuture(.refused)
                        }
                    )
                    return try channel.pipeline.syncOperations.configureUpgradableHTTPClientPipeline(configuration: .init(upgradeConfiguration: configuration))
                }
            }
    }

    /// What the run tells a connection's handler, on its event loop.
    private struct Control: Sendable {
        /// Sends the plan's messages, each at its offset from this start.
        var startSending: @Sendable (UInt64) -> Void
        /// The run is over: close.
        var hangUp: @Sendable () -> Void
    }

    private enum Upgrade: Sendable {
        case upgraded(any Channel, joined: EventLoopFuture<Void>, done: EventLoopFuture<Received>, control: Control)
        case refused
    }

    /// Client frames are masked (RFC 6455 5.1).
    static func textFrame(_ text: String) -> WebSocketFrame {
        WebSocketFrame(fin: true, opcode: .text, maskKey: .random(), data: ByteBuffer(string: text))
    }
}

/// A bench connection on its event loop: marks the join, sends the plan's messages at their due
/// times (the loop's timers are exact where a sleeping task wakes late), records every
/// benchmark message's latency, answers pings and the server's close, and hands over what it
/// saw when the connection ends.
private final class BenchReceiver: ChannelInboundHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    let joined: EventLoopPromise<Void>
    let done: EventLoopPromise<BenchSocket.Received>
    private let plan: BenchSocket.Plan
    private let ownIDs: Set<Int>
    private var received = BenchSocket.Received()
    private var hasJoined = false
    /// A close frame went out: the next one in is the answer.
    private var closing = false
    private var context: ChannelHandlerContext?

    init(plan: BenchSocket.Plan, ownIDs: Set<Int>, eventLoop: any EventLoop) {
        self.plan = plan
        self.ownIDs = ownIDs
        joined = eventLoop.makePromise()
        done = eventLoop.makePromise()
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    /// Sends the plan's messages from `index` on that are due, then schedules itself for the
    /// next one. The due time, not the actual one, goes into the message: a late send counts
    /// against latency (no coordinated omission).
    func startSending(at start: UInt64, from index: Int = 0) {
        guard let context else { return }
        var next = index
        while next < plan.sends.count, !closing {
            let send = plan.sends[next]
            let due = start + send.at
            let current = now()
            guard current >= due else {
                let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
                context.eventLoop.scheduleTask(deadline: .uptimeNanoseconds(due)) { [next] in bound.value.startSending(at: start, from: next) }
                return
            }
            received.worstSendLag = max(received.worstSendLag, current - due)
            let text = #"{"type":"send_message","data":{"room_id":"\#(plan.roomID)","content":"bench \#(send.id) \#(due)"}}"#
            context.writeAndFlush(wrapOutboundOut(BenchSocket.textFrame(text)), promise: nil)
            received.sent += 1
            next += 1
        }
    }

    /// The run is over: the bench closes (1000) and waits for the server's answer.
    func hangUp() {
        guard !closing, let context else { return }
        closing = true
        var goodbye = context.channel.allocator.buffer(capacity: 2)
        goodbye.write(webSocketErrorCode: .normalClosure)
        context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .connectionClose, maskKey: .random(), data: goodbye)), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .text:
            let scan = frame.unmaskedData.withUnsafeReadableBytes { FrameScan($0) }
            if !hasJoined, scan.isRoomJoined {
                hasJoined = true
                plan.schedule.joins.add()
                joined.succeed()
            }
            guard let (id, due) = scan.benchMessage, !ownIDs.contains(id) else { return }
            received.latency.record(nanoseconds: now() &- due)
            received.ids.append(id)
            plan.arrivals?.add()
        case .ping:
            context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .pong, maskKey: .random(), data: frame.unmaskedData)), promise: nil)
        case .connectionClose:
            var data = frame.unmaskedData
            if let code = data.readWebSocketErrorCode(), code != .normalClosure {
                let reason = data.readString(length: data.readableBytes) ?? ""
                received.serverClose = "\(UInt16(webSocketErrorCode: code))" + (reason.isEmpty ? "" : " \(reason)")
            }
            if closing {
                context.close(promise: nil)
            } else {
                // Answer the server's close with the same code, then hang up.
                closing = true
                var answer = context.channel.allocator.buffer(capacity: 2)
                answer.write(webSocketErrorCode: .normalClosure)
                let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
                context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .connectionClose, maskKey: .random(), data: answer)))
                    .whenComplete { _ in bound.value.close(promise: nil) }
            }
        default:
            break
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if !hasJoined {
            plan.schedule.joins.add()
            received.serverClose = received.serverClose ?? "closed before room_joined"
            joined.fail(ChannelError.ioOnClosedChannel)
        }
        done.succeed(received)
        context.fireChannelInactive()
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
