import FitChatProtocol
import NIOCore
import NIOWebSocket
import Synchronization

/// A message frame whose arrival the sender is told of (`message_delivered`).
struct DeliveryNote: Sendable, Hashable {
    var roomID: RoomID
    var messageID: MessageID
    var senderID: UserID
}

/// How a connection asks its WebSocket handler to close (slow consumer, shutdown, token expiry).
struct CloseRequest: Sendable {
    var code: WebSocketErrorCode
    var reason: String
    /// False drops the connection once the close frame is out, for a peer not worth waiting for.
    var waitForAnswer = true
}

/// One open WebSocket: its room subscriptions and the frames on their way to it.
///
/// Fan-out never waits on a socket. A frame is appended to the connection's pending list; the
/// connection's event loop then hands everything pending to the channel with one flush
/// (`WriteBatch` schedules one task per event loop for a whole fan-out). A frame counts as
/// queued until the socket has taken it; a reader too slow to keep that under the bound is
/// closed with 1013.
final class ClientConnection: Sendable {
    struct Bounds: Sendable {
        var frames: Int
        var bytes: Int
    }

    private struct Subscription {
        /// The highest `seq` queued for this room; later duplicates are dropped.
        var lastSeq: Int64
        /// Live entries held back while a `since_seq` replay is in progress.
        var heldDuringReplay: [(seq: Int64, frame: ByteBuffer, delivery: DeliveryNote?)]?
    }

    private struct State {
        var pending: [(frame: ByteBuffer, delivery: DeliveryNote?)] = []
        var writeScheduled = false
        /// Pending frames plus those handed to the channel that the socket has not taken yet.
        var queuedFrames = 0
        var queuedBytes = 0
        /// No more frames are accepted.
        var closing = false
        /// A close to request once the pending frames are written.
        var closeAfterPending: CloseRequest?
        var rooms: [RoomID: Subscription] = [:]
    }

    let id: UInt64
    let user: AuthenticatedUser
    /// Starts the close handshake on the event loop; called at most once.
    private let closer: @Sendable (CloseRequest) -> Void
    private let channel: any Channel
    private let deliveries: DeliveryTracker
    private let bounds: Bounds
    private let state = Mutex(State())

    init(
        id: UInt64, user: AuthenticatedUser, channel: any Channel, deliveries: DeliveryTracker, bounds: Bounds,
        closer: @escaping @Sendable (CloseRequest) -> Void
    ) {
        self.id = id
        self.user = user
        self.channel = channel
        self.deliveries = deliveries
        self.bounds = bounds
        self.closer = closer
    }

    var eventLoop: any EventLoop { channel.eventLoop }

    /// A close was asked for: frames are no longer accepted.
    var isClosing: Bool { state.withLock { $0.closing } }

    /// Queues a frame and schedules its write.
    func send(_ frame: ByteBuffer) {
        if state.withLock({ enqueue(frame, delivery: nil, state: &$0) }) { scheduleWrite() }
    }

    /// Queues a frame; the batch schedules the write with the other connections of a fan-out.
    func send(_ frame: ByteBuffer, batch: inout WriteBatch) {
        if state.withLock({ enqueue(frame, delivery: nil, state: &$0) }) { batch.add(self) }
    }

    /// Returns true when the caller has to schedule a write (the first frame since the last write).
    private func enqueue(_ frame: ByteBuffer, delivery: DeliveryNote?, state: inout State) -> Bool {
        guard !state.closing else { return false }
        if state.queuedFrames >= bounds.frames || state.queuedBytes + frame.readableBytes > bounds.bytes {
            requestClose(CloseRequest(code: .unknown(1013), reason: "slow consumer: reconnect and resume with since_seq", waitForAnswer: false), state: &state)
            return false
        }
        state.queuedFrames += 1
        state.queuedBytes += frame.readableBytes
        state.pending.append((frame, delivery))
        guard !state.writeScheduled else { return false }
        state.writeScheduled = true
        return true
    }

    private func scheduleWrite() {
        channel.eventLoop.execute { self.writePending() }
    }

    /// On the event loop: everything pending goes to the channel, with one flush.
    func writePending() {
        let (frames, closeRequest) = state.withLock { state in
            defer {
                state.pending.removeAll(keepingCapacity: true)
                state.writeScheduled = false
                state.closeAfterPending = nil
            }
            return (state.pending, state.closeAfterPending)
        }
        if !frames.isEmpty { write(frames) }
        if let closeRequest { requestClose(closeRequest) }
    }

    private func write(_ frames: [(frame: ByteBuffer, delivery: DeliveryNote?)]) {
        // Writes complete in order, so the last one's promise accounts for the whole batch.
        let written = channel.eventLoop.makePromise(of: Void.self)
        var bytes = 0
        var notes: [DeliveryNote] = []
        for (index, item) in frames.enumerated() {
            bytes += item.frame.readableBytes
            if let note = item.delivery { notes.append(note) }
            channel.write(WebSocketFrame(fin: true, opcode: .text, data: item.frame), promise: index == frames.count - 1 ? written : nil)
        }
        channel.flush()
        if !notes.isEmpty { deliveries.record(notes, recipient: user.id) }
        let (count, totalBytes) = (frames.count, bytes)
        written.futureResult.whenComplete { _ in
            self.state.withLock { state in
                state.queuedFrames -= count
                state.queuedBytes -= totalBytes
            }
        }
    }

    /// Closes after everything already queued (e.g. after the `token_expired` error).
    func close(_ code: WebSocketErrorCode, reason: String) {
        let schedule = state.withLock { state -> Bool in
            guard !state.closing else { return false }
            state.closing = true
            state.closeAfterPending = CloseRequest(code: code, reason: reason)
            guard !state.writeScheduled else { return false }
            state.writeScheduled = true
            return true
        }
        if schedule { scheduleWrite() }
    }

    /// Closes ahead of anything not yet written (shutdown).
    func closeNow(_ code: WebSocketErrorCode, reason: String) {
        state.withLock { state in requestClose(CloseRequest(code: code, reason: reason), state: &state) }
    }

    private func requestClose(_ request: CloseRequest, state: inout State) {
        state.closing = true
        state.pending.removeAll()
        state.closeAfterPending = nil
        requestClose(request)
    }

    private func requestClose(_ request: CloseRequest) {
        closer(request)
    }

    /// The socket is gone: nothing more is written.
    func finish() {
        state.withLock { state in
            state.closing = true
            state.pending.removeAll()
        }
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

    /// A live entry of a subscribed room's log: queued in `seq` order, never twice.
    func deliver(_ frame: ByteBuffer, roomID: RoomID, seq: Int64, delivery: DeliveryNote?, batch: inout WriteBatch) {
        let schedule = state.withLock { state -> Bool in
            guard var subscription = state.rooms[roomID] else { return false }
            var schedule = false
            if subscription.heldDuringReplay != nil {
                subscription.heldDuringReplay!.append((seq, frame, delivery))
            } else if seq > subscription.lastSeq {
                subscription.lastSeq = seq
                schedule = enqueue(frame, delivery: delivery, state: &state)
            }
            state.rooms[roomID] = subscription
            return schedule
        }
        if schedule { batch.add(self) }
    }

    /// Queues replayed messages (already in `seq` order) past what was queued before. A replay
    /// fills at most half the queue bound at a time and waits for the socket to take it, so a
    /// long replay is paced by the reader instead of tripping the slow-consumer close.
    func replay(_ frames: [(seq: Int64, frame: ByteBuffer, delivery: DeliveryNote?)], roomID: RoomID) async throws {
        let frameBudget = max(1, bounds.frames / 2)
        let byteBudget = bounds.bytes / 2
        var next = frames.startIndex
        while next < frames.endIndex {
            while state.withLock({ !$0.closing && ($0.queuedFrames >= frameBudget || $0.queuedBytes >= byteBudget) }) {
                try await Task.sleep(for: .milliseconds(5))
            }
            let (index, schedule) = state.withLock { state -> (Int, Bool) in
                guard !state.closing, var subscription = state.rooms[roomID] else { return (frames.endIndex, false) }
                var index = next
                var schedule = false
                while index < frames.endIndex, state.queuedFrames < frameBudget,
                    state.queuedFrames == 0 || state.queuedBytes + frames[index].frame.readableBytes <= byteBudget
                {
                    let item = frames[index]
                    if item.seq > subscription.lastSeq {
                        subscription.lastSeq = item.seq
                        schedule = enqueue(item.frame, delivery: item.delivery, state: &state) || schedule
                    }
                    index += 1
                }
                state.rooms[roomID] = subscription
                return (index, schedule)
            }
            next = index
            if schedule { scheduleWrite() }
        }
    }

    /// Ends a replay: queues the `room_joined` frame made for the last `seq` queued so far, then
    /// the live messages held meanwhile that the replay did not already cover.
    func finishReplay(roomID: RoomID, joined: (Int64) -> ByteBuffer) {
        let schedule = state.withLock { state -> Bool in
            guard var subscription = state.rooms[roomID] else { return false }
            var schedule = enqueue(joined(subscription.lastSeq), delivery: nil, state: &state)
            for item in subscription.heldDuringReplay ?? [] where item.seq > subscription.lastSeq {
                subscription.lastSeq = item.seq
                schedule = enqueue(item.frame, delivery: item.delivery, state: &state) || schedule
            }
            subscription.heldDuringReplay = nil
            state.rooms[roomID] = subscription
            return schedule
        }
        if schedule { scheduleWrite() }
    }
}
