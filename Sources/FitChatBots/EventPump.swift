import FitChatClient
import FitChatProtocol
import Synchronization

/// Session events → what the bot sees: answers to the runner's own sends taken out, the bot's
/// own message echoes dropped, `--events` and `--command` applied, reconnections told and logged.
struct EventPump: Sendable {
    let configuration: BotConfiguration
    let me: UserID
    let sender: FrameSender
    let rooms: MessageRooms
    /// Joins the rooms the bot's user is added to while it runs.
    let follower: RoomFollower
    let log: BotLog
    /// Where the bot left off: entries it never sees (its own, filtered out) count as handled.
    let cursors: BotCursors
    /// Hands an event (its exact wire text, its room when it has one, and its place in the room's
    /// log when it is an entry of it) on to the bot.
    let deliver: @Sendable (String, RoomID?, BotInbox.Position?) -> Void
    private let everConnected = Once()

    init(
        configuration: BotConfiguration, me: UserID, sender: FrameSender, rooms: MessageRooms, follower: RoomFollower, log: BotLog,
        cursors: BotCursors, deliver: @escaping @Sendable (String, RoomID?, BotInbox.Position?) -> Void
    ) {
        self.cursors = cursors
        self.configuration = configuration
        self.me = me
        self.sender = sender
        self.rooms = rooms
        self.follower = follower
        self.log = log
        self.deliver = deliver
    }

    func handle(_ event: ChatSession.Event) {
        switch event {
        case .connected:
            sender.connectionChanged(isUp: true)
            if !everConnected.first() {
                log.note("reconnected")
                if !configuration.perEvent { deliver(RunnerEvent.reconnected.line, nil, nil) }
            }
        case .disconnected(let reason, let retryIn):
            sender.connectionChanged(isUp: false)
            log.note("\(reason); reconnecting in \(retryIn.secondsText)")
        case .frame(let envelope, let raw):
            // The bot's own sends are entries of the log too, which its connection is not sent.
            if case .messageSent(let message) = envelope.event {
                cursors.begin(message.roomID, seq: message.seq)
                cursors.finish(message.roomID, seq: message.seq)
            }
            if sender.answer(envelope) { return }
            follower.observe(envelope.event)
            let position = envelope.event.roomPosition
            if let position { cursors.begin(position.roomID, seq: position.seq) }
            var room: RoomID?
            var passes = configuration.passes(envelope.event.type)
            if case .newMessage(let message) = envelope.event {
                rooms.remember(message.id, in: message.roomID)
                passes = passes && message.senderID != me && configuration.passesCommands(message.content)
                room = message.roomID
            }
            guard passes else {
                if let position { cursors.finish(position.roomID, seq: position.seq) }
                return
            }
            deliver(raw, room, position)
        }
    }
}

/// True the first time `first()` is asked, false ever after.
final class Once: Sendable {
    private let done = Atomic(false)

    func first() -> Bool {
        !done.exchange(true, ordering: .relaxed)
    }
}
