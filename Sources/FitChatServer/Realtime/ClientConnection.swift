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
        /// How long entries past a gap in a room's log wait for the missing ones before the
        /// connection is closed with 1013 (the client resumes with `since_seq` and loses nothing).
        var gapTimeout: Duration = .seconds(10)
    }

    /// A log entry on its way to one connection; `frame` is nil for an entry this connection
    /// does not see (its own change, or one by a user it blocked) but must count past.
    typealias LogItem = (seq: Int64, frame: WireFrame?, delivery: DeliveryNote?)

    private struct Subscription {
        /// Every entry up to this `seq` was queued (or counted past); duplicates are dropped.
        var lastSeq: Int64 = 0
        /// Live entries held back while the join reads the room's position and replays.
        var heldDuringReplay: [LogItem]? = []
        /// Entries past a gap, held until the missing ones arrive (on a cluster, another node's
        /// entry can reach this node after a later one made here).
        var pastGap: [Int64: LogItem] = [:]
        /// Counts gaps, so a gap's deadline knows whether it is still the same gap.
        var gapNumber: UInt64 = 0
    }

    private struct State {
        var pending = PendingFrames()
        var writeScheduled = false
        /// Frames are queued, not written, until `release()`: `connection_established` goes out
        /// once the user's presence is recorded, so a client that has it is seen online.
        var held = true
        /// Pending frames plus those handed to the channel that the socket has not taken yet.
        var queuedFrames = 0
        var queuedBytes = 0
        /// No more frames are accepted.
        var closing = false
        /// A close to request once the pending frames are written.
        var closeAfterPending: CloseRequest?
        var rooms: [RoomID: Subscription] = [:]
        /// The connection's WebSocket handler, once it is in the pipeline.
        var output: NIOLoopBound<any FrameOutput>?
    }

    let id: UInt64
    let user: AuthenticatedUser
    /// Starts the close handshake on the event loop; called at most once.
    private let closer: @Sendable (CloseRequest) -> Void
    private let channel: any Channel
    private let deliveries: DeliveryTracker
    private let bounds: Bounds
    private let metrics: ServerMetrics
    private let state = Mutex(State())

    init(
        id: UInt64, user: AuthenticatedUser, channel: any Channel, deliveries: DeliveryTracker, bounds: Bounds, metrics: ServerMetrics,
        closer: @escaping @Sendable (CloseRequest) -> Void
    ) {
        self.id = id
        self.metrics = metrics
        self.user = user
        self.channel = channel
        self.deliveries = deliveries
        self.bounds = bounds
        self.closer = closer
    }

    var eventLoop: any EventLoop { channel.eventLoop }

    /// On the event loop: frames go out through `output` from now on (nil: through the channel).
    func attach(_ output: NIOLoopBound<any FrameOutput>?) {
        state.withLock { $0.output = output }
    }

    /// A close was asked for: frames are no longer accepted.
    var isClosing: Bool { state.withLock { $0.closing } }

    /// Queues a frame and schedules its write.
    func send(_ frame: WireFrame) {
        if state.withLock({ enqueue(frame, delivery: nil, state: &$0) }) { scheduleWrite() }
    }

    /// Queues a frame; the batch schedules the write with the other connections of a fan-out.
    func send(_ frame: WireFrame, batch: inout WriteBatch) {
        if state.withLock({ enqueue(frame, delivery: nil, state: &$0) }) { batch.add(self) }
    }

    /// Returns true when the caller has to schedule a write (the first frame since the last write).
    private func enqueue(_ frame: WireFrame, delivery: DeliveryNote?, state: inout State) -> Bool {
        guard !state.closing else { return false }
        if state.queuedFrames >= bounds.frames || state.queuedBytes + frame.bytes.readableBytes > bounds.bytes {
            requestClose(CloseRequest(code: .unknown(1013), reason: "slow consumer: reconnect and resume with since_seq", waitForAnswer: false), state: &state)
            return false
        }
        state.queuedFrames += 1
        state.queuedBytes += frame.bytes.readableBytes
        state.pending.append((frame, delivery))
        guard !state.writeScheduled else { return false }
        state.writeScheduled = true
        // Held: `release()` schedules the write.
        return !state.held
    }

    /// Lets the frames queued since the connection opened go out.
    func release() {
        let schedule = state.withLock { state -> Bool in
            guard state.held else { return false }
            state.held = false
            return state.writeScheduled
        }
        if schedule { scheduleWrite() }
    }

    private func scheduleWrite() {
        channel.eventLoop.execute { self.writePending() }
    }

    /// On the event loop: everything pending goes to the channel, with one flush.
    func writePending() {
        let (frames, closeRequest, output) = state.withLock { state in
            // Taken whole, not emptied in place: an idle connection keeps no buffer.
            defer {
                state.writeScheduled = false
                state.closeAfterPending = nil
            }
            return (state.pending.takeAll(), state.closeAfterPending, state.output)
        }
        if !frames.isEmpty { write(frames, to: output) }
        if let closeRequest { requestClose(closeRequest) }
    }

    /// Frames count against the bound until the socket took them: at once when it took them
    /// within the flush (nearly always), else when the output says it has.
    private func write(_ frames: PendingFrames, to output: NIOLoopBound<any FrameOutput>?) {
        let count = frames.count
        let bytes = frames.reduce(0) { $0 + $1.frame.bytes.readableBytes }
        let taken = output.map { $0.value.write(frames) } ?? writeToChannel(frames)
        metrics.framesSent.increment(by: Int64(count))
        deliveries.record(frames, recipient: user.id)
        guard let taken else { return dequeue(frames: count, bytes: bytes) }
        taken.whenComplete { _ in self.dequeue(frames: count, bytes: bytes) }
    }

    /// Before the handler is in the pipeline, or after it left: through the channel, where
    /// writes complete in order, so the last one's promise accounts for all.
    private func writeToChannel(_ frames: PendingFrames) -> EventLoopFuture<Void> {
        let written = channel.eventLoop.makePromise(of: Void.self)
        var left = frames.count
        for (frame, _) in frames {
            left -= 1
            channel.write(frame.bytes, promise: left == 0 ? written : nil)
        }
        channel.flush()
        return written.futureResult
    }

    private func dequeue(frames: Int, bytes: Int) {
        state.withLock { state in
            state.queuedFrames -= frames
            state.queuedBytes -= bytes
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
        state.pending = PendingFrames()
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
            state.pending = PendingFrames()
        }
    }

    // MARK: Rooms

    var subscribedRooms: [RoomID] {
        state.withLock { Array($0.rooms.keys) }
    }

    func isSubscribed(to roomID: RoomID) -> Bool {
        state.withLock { $0.rooms[roomID] != nil }
    }

    /// Starts a subscription whose live entries are held until `finishReplay`, so that none
    /// committed after the join reads the room's position can be missed.
    func subscribe(to roomID: RoomID) {
        state.withLock { $0.rooms[roomID] = Subscription() }
    }

    /// Where the replay starts: entries up to `seq` are not sent.
    func startReplay(roomID: RoomID, after seq: Int64) {
        state.withLock { $0.rooms[roomID]?.lastSeq = seq }
    }

    func unsubscribe(from roomID: RoomID) {
        _ = state.withLock { $0.rooms.removeValue(forKey: roomID) }
    }

    /// A live entry of a subscribed room's log: queued in `seq` order, never twice, none skipped.
    func deliver(_ frame: WireFrame?, roomID: RoomID, seq: Int64, delivery: DeliveryNote?, batch: inout WriteBatch) {
        let (schedule, newGap) = state.withLock { state -> (Bool, UInt64?) in
            guard var subscription = state.rooms[roomID] else { return (false, nil) }
            defer { state.rooms[roomID] = subscription }
            if subscription.heldDuringReplay != nil {
                subscription.heldDuringReplay?.append((seq, frame, delivery))
                return (false, nil)
            }
            return accept((seq, frame, delivery), roomID: roomID, into: &subscription, state: &state)
        }
        if schedule { batch.add(self) }
        if let newGap { closeIfGapRemains(newGap, in: roomID) }
    }

    /// Queues an entry that follows the last one, then whatever it frees from past a gap; holds
    /// one past a gap. Returns whether a write must be scheduled, and the number of a gap it opened.
    private func accept(_ item: LogItem, roomID: RoomID, into subscription: inout Subscription, state: inout State) -> (Bool, UInt64?) {
        guard item.seq > subscription.lastSeq else { return (false, nil) }
        guard item.seq == subscription.lastSeq + 1 else {
            let opensGap = subscription.pastGap.isEmpty
            subscription.pastGap[item.seq] = item
            if subscription.pastGap.count > bounds.frames {
                requestClose(gapClose(roomID), state: &state)
                return (false, nil)
            }
            guard opensGap else { return (false, nil) }
            subscription.gapNumber += 1
            return (false, subscription.gapNumber)
        }
        var schedule = false
        var next: LogItem? = item
        while let entry = next {
            subscription.lastSeq = entry.seq
            if let frame = entry.frame { schedule = enqueue(frame, delivery: entry.delivery, state: &state) || schedule }
            next = subscription.pastGap.isEmpty ? nil : subscription.pastGap.removeValue(forKey: entry.seq + 1)
        }
        return (schedule, nil)
    }

    /// A gap that outlives the timeout is closed on: its entries are not coming live, and the
    /// client's resume with `since_seq` reads them from the store.
    private func closeIfGapRemains(_ gapNumber: UInt64, in roomID: RoomID) {
        let (seconds, attoseconds) = bounds.gapTimeout.components
        channel.eventLoop.scheduleTask(in: .seconds(seconds) + .nanoseconds(attoseconds / 1_000_000_000)) {
            self.state.withLock { state in
                guard let subscription = state.rooms[roomID], subscription.gapNumber == gapNumber, !subscription.pastGap.isEmpty,
                    !state.closing
                else { return }
                self.requestClose(self.gapClose(roomID), state: &state)
            }
        }
    }

    private func gapClose(_ roomID: RoomID) -> CloseRequest {
        CloseRequest(code: .unknown(1013), reason: "missed entries of room \(roomID): reconnect and resume with since_seq", waitForAnswer: false)
    }

    /// Queues replayed messages (already in `seq` order) past what was queued before. A replay
    /// fills at most half the queue bound at a time and waits for the socket to take it, so a
    /// long replay is paced by the reader instead of tripping the slow-consumer close.
    func replay(_ frames: [(seq: Int64, frame: WireFrame, delivery: DeliveryNote?)], roomID: RoomID) async throws {
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
                    state.queuedFrames == 0 || state.queuedBytes + frames[index].frame.bytes.readableBytes <= byteBudget
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

    /// Ends a replay at the room's `position` (read after subscribing, so every later entry was
    /// held): queues the `room_joined` frame for it, then the held entries past it, in order.
    func finishReplay(roomID: RoomID, position: Int64, joined: (Int64) -> WireFrame) {
        let (schedule, newGap) = state.withLock { state -> (Bool, UInt64?) in
            guard var subscription = state.rooms[roomID] else { return (false, nil) }
            defer { state.rooms[roomID] = subscription }
            subscription.lastSeq = max(subscription.lastSeq, position)
            var schedule = enqueue(joined(subscription.lastSeq), delivery: nil, state: &state)
            let held = (subscription.heldDuringReplay ?? []).sorted { $0.seq < $1.seq }
            subscription.heldDuringReplay = nil
            var newGap: UInt64?
            for item in held {
                let (written, gap) = accept(item, roomID: roomID, into: &subscription, state: &state)
                schedule = written || schedule
                newGap = gap ?? newGap
            }
            return (schedule, newGap)
        }
        if schedule { scheduleWrite() }
        if let newGap { closeIfGapRemains(newGap, in: roomID) }
    }
}
