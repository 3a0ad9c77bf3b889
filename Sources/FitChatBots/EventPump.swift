import FitChatClient
import FitChatProtocol
import Synchronization

/// Session events → what the bot sees: answers to the runner's own sends taken out, the bot's
/// own message echoes dropped, `--events` applied, reconnections told and logged.
struct EventPump: Sendable {
    let configuration: BotConfiguration
    let me: UserID
    let sender: FrameSender
    let rooms: MessageRooms
    /// Joins the rooms the bot's user is added to while it runs.
    let follower: RoomFollower
    let log: BotLog
    /// Hands an event (its exact wire text, and its room when it has one) on to the bot.
    let deliver: @Sendable (String, RoomID?) -> Void
    private let everConnected = Once()

    init(
        configuration: BotConfiguration, me: UserID, sender: FrameSender, rooms: MessageRooms, follower: RoomFollower, log: BotLog,
        deliver: @escaping @Sendable (String, RoomID?) -> Void
    ) {
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
                if !configuration.perEvent { deliver(RunnerEvent.reconnected.line, nil) }
            }
        case .disconnected(let reason, let retryIn):
            sender.connectionChanged(isUp: false)
            log.note("\(reason); reconnecting in \(retryIn.secondsText)")
        case .frame(let envelope, let raw):
            if sender.answer(envelope) { return }
            follower.observe(envelope.event)
            var room: RoomID?
            if case .newMessage(let message) = envelope.event {
                rooms.remember(message.id, in: message.roomID)
                if message.senderID == me { return }
                room = message.roomID
            }
            guard configuration.passes(envelope.event.type) else { return }
            deliver(raw, room)
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
