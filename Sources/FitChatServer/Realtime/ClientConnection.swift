import FitChatProtocol
import HummingbirdWebSocket
import NIOWebSocket
import NIOCore
import Synchronization

/// A message frame whose arrival the sender is told of (`message_delivered`).
struct DeliveryNote: Sendable, Hashable {
    var roomID: RoomID
    var messageID: MessageID
    var senderID: UserID
}

/// What a connection's writer task sends next.
enum OutboundItem: Sendable {
    case frame(ByteBuffer, delivery: DeliveryNote?)
    case close(WebSocketErrorCode, reason: String)
}

/// One open WebSocket: its bounded outbound queue and its room subscriptions.
///
/// Fan-out only enqueues (never waits on a socket); the connection's writer task drains the
/// queue. A reader too slow to keep the queue under its bound is closed with 1013.
final class ClientConnection: Sendable {
    struct Bounds: Sendable {
        var frames: Int
        var bytes: Int
    }

    private struct Subscription {
        /// The highest `seq` queued for this room; later duplicates are dropped.
        var lastSeq: Int64
        /// Live messages held back while a `since_seq` replay is in progress.
        var heldDuringReplay: [(seq: Int64, frame: ByteBuffer, delivery: DeliveryNote)]?
    }

    private struct State {
        var queuedFrames = 0
        var queuedBytes = 0
        var urgentClose: (code: WebSocketErrorCode, reason: String)?
        var closing = false
        var rooms: [RoomID: Subscription] = [:]
    }

    let id: UInt64
    let user: AuthenticatedUser
    let outbound: AsyncStream<OutboundItem>
    private let continuation: AsyncStream<OutboundItem>.Continuation
    private let bounds: Bounds
    private let state = Mutex(State())

    init(id: UInt64, user: AuthenticatedUser, bounds: Bounds) {
        self.id = id
        self.user = user
        self.bounds = bounds
        (outbound, continuation) = AsyncStream.makeStream(of: OutboundItem.self)
    }

    /// Queues a frame; closes the connection with 1013 when the reader has fallen too far behind.
    func send(_ frame: ByteBuffer, delivery: DeliveryNote? = nil) {
        state.withLock { state in enqueue(frame, delivery: delivery, state: &state) }
    }

    private func enqueue(_ frame: ByteBuffer, delivery: DeliveryNote?, state: inout State) {
        guard !state.closing else { return }
        if state.queuedFrames >= bounds.frames || state.queuedBytes + frame.readableBytes > bounds.bytes {
            state.closing = true
            state.urgentClose = (.unknown(1013), "slow consumer: reconnect and resume with since_seq")
            continuation.finish()
            return
        }
        state.queuedFrames += 1
        state.queuedBytes += frame.readableBytes
        continuation.yield(.frame(frame, delivery: delivery))
    }

    /// The writer took a frame off the queue.
    func dequeued(_ frame: ByteBuffer) {
        state.withLock { state in
            state.queuedFrames -= 1
            state.queuedBytes -= frame.readableBytes
        }
    }

    /// Queues a close after everything already queued (e.g. after the `token_expired` error).
    func close(_ code: WebSocketErrorCode, reason: String) {
        state.withLock { state in
            guard !state.closing else { return }
            state.closing = true
            continuation.yield(.close(code, reason: reason))
            continuation.finish()
        }
    }

    /// Closes ahead of anything still queued (shutdown).
    func closeNow(_ code: WebSocketErrorCode, reason: String) {
        state.withLock { state in
            guard state.urgentClose == nil else { return }
            state.closing = true
            state.urgentClose = (code, reason)
            continuation.finish()
        }
    }

    var urgentClose: (code: WebSocketErrorCode, reason: String)? {
        state.withLock { $0.urgentClose }
    }

    /// The socket is gone: stop the writer.
    func finish() {
        state.withLock { $0.closing = true }
        continuation.finish()
    }

    // MARK: Rooms

    var subscribedRooms: [RoomID] {
        state.withLock { Array($0.rooms.keys) }
    }

    func isSubscribed(to roomID: RoomID) -> Bool {
        state.withLock { $0.rooms[roomID] != nil }
    }

    /// Starts a subscription that delivers messages after `seq`; live ones are held until `finishReplay`.
    func subscribe(to roomID: RoomID, after seq: Int64) {
        state.withLock { state in
            state.rooms[roomID] = Subscription(lastSeq: seq, heldDuringReplay: [])
        }
    }

    func unsubscribe(from roomID: RoomID) {
        _ = state.withLock { $0.rooms.removeValue(forKey: roomID) }
    }

    /// A live message of a subscribed room: queued in `seq` order, never twice.
    func deliver(_ frame: ByteBuffer, seq: Int64, delivery: DeliveryNote) {
        state.withLock { state in
            guard var subscription = state.rooms[delivery.roomID] else { return }
            if subscription.heldDuringReplay != nil {
                subscription.heldDuringReplay!.append((seq, frame, delivery))
            } else if seq > subscription.lastSeq {
                subscription.lastSeq = seq
                enqueue(frame, delivery: delivery, state: &state)
            }
            state.rooms[delivery.roomID] = subscription
        }
    }

    /// Queues replayed messages (already in `seq` order) past what was queued before. A replay
    /// fills at most half the queue bound at a time and waits for the writer to drain it, so a
    /// long replay is paced by the reader instead of tripping the slow-consumer close.
    func replay(_ frames: [(seq: Int64, frame: ByteBuffer, delivery: DeliveryNote)], roomID: RoomID) async throws {
        let frameBudget = max(1, bounds.frames / 2)
        let byteBudget = bounds.bytes / 2
        var next = frames.startIndex
        while next < frames.endIndex {
            while state.withLock({ !$0.closing && ($0.queuedFrames >= frameBudget || $0.queuedBytes >= byteBudget) }) {
                try await Task.sleep(for: .milliseconds(5))
            }
            next = state.withLock { state in
                guard !state.closing, var subscription = state.rooms[roomID] else { return frames.endIndex }
                var index = next
                while index < frames.endIndex, state.queuedFrames < frameBudget,
                    state.queuedFrames == 0 || state.queuedBytes + frames[index].frame.readableBytes <= byteBudget
                {
                    let item = frames[index]
                    if item.seq > subscription.lastSeq {
                        subscription.lastSeq = item.seq
                        enqueue(item.frame, delivery: item.delivery, state: &state)
                    }
                    index += 1
                }
                state.rooms[roomID] = subscription
                return index
            }
        }
    }

    /// Ends a replay: queues the `room_joined` frame made for the last `seq` queued so far, then
    /// the live messages held meanwhile that the replay did not already cover.
    func finishReplay(roomID: RoomID, joined: (Int64) -> ByteBuffer) {
        state.withLock { state in
            guard var subscription = state.rooms[roomID] else { return }
            enqueue(joined(subscription.lastSeq), delivery: nil, state: &state)
            for item in subscription.heldDuringReplay ?? [] where item.seq > subscription.lastSeq {
                subscription.lastSeq = item.seq
                enqueue(item.frame, delivery: item.delivery, state: &state)
            }
            subscription.heldDuringReplay = nil
            state.rooms[roomID] = subscription
        }
    }
}
