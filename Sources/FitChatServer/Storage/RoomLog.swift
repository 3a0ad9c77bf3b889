import FitChatProtocol
import Foundation

/// A change to a room on its way into the store. Each one that changes something takes the
/// room's next `seq`, so a room's messages, edits, deletions and reactions form one log that a
/// client resumes with a single cursor.
public enum RoomWrite: Sendable, Equatable {
    case message(NewMessage)
    /// Sender only; the content is already validated.
    case edit(messageID: MessageID, editorID: UserID, content: String, at: Date)
    /// The sender or the room's owner; leaves a tombstone.
    case delete(messageID: MessageID, actorID: UserID, at: Date)
    /// Any participant; `maxDistinct` bounds how many different emoji one message holds.
    case react(messageID: MessageID, userID: UserID, emoji: String, on: Bool, at: Date, maxDistinct: Int)
}

/// One entry of a room's log: what subscribers are sent, where it sits, and whose blockers
/// do not see it.
public struct RoomLogEntry: Sendable, Equatable, Codable {
    public enum Event: Sendable, Equatable, Codable {
        case message(ChatMessage)
        case edited(MessageEdited)
        case deleted(MessageDeleted)
        case reaction(Reaction)
    }

    public var event: Event
    public var roomID: RoomID
    public var seq: Int64
    /// The message's sender, and for a reaction the reactor: whoever blocked one of them
    /// does not get the entry.
    public var actors: [UserID]

    /// A message's entry: its own `seq`; only its sender's blockers do not get it.
    init(message: ChatMessage) {
        self.init(event: .message(message), roomID: message.roomID, seq: message.seq, actors: [message.senderID])
    }

    init(event: Event, roomID: RoomID, seq: Int64, actors: [UserID]) {
        self.event = event
        self.roomID = roomID
        self.seq = seq
        self.actors = actors
    }

    var isMessage: Bool {
        if case .message = event { true } else { false }
    }

    /// The frame the entry is sent as.
    public var serverEvent: ServerEvent {
        switch event {
        case .message(let message): .newMessage(message)
        case .edited(let edit): .messageEdited(edit)
        case .deleted(let deletion): .messageDeleted(deletion)
        case .reaction(let reaction): .reaction(reaction)
        }
    }
}

/// What a write did.
public enum RoomCommit: Sendable, Equatable {
    /// A message: stored, or the original of a repeated `client_msg_id`.
    case message(AppendOutcome)
    /// An edit, deletion or reaction that took the room's next `seq`.
    case logged(RoomLogEntry)
    /// A deletion or reaction that was already so: nothing stored, nothing sent.
    case unchanged(RoomLogEntry.Event)
}

/// A page of a room's log after a cursor, in `seq` order.
public struct RoomLogPage: Sendable, Equatable {
    public var entries: [RoomLogEntry]
    /// Where the next page starts; nil when the log was read to its end.
    public var next: Int64?
}

extension ChatStore {
    /// Messages alone, as the pipeline's older callers and the tests give them.
    public func appendMessages(_ batch: [NewMessage]) async throws -> [Result<AppendOutcome, StoreError>] {
        try await commit(batch.map(RoomWrite.message)).map { result in
            result.flatMap { commit in
                guard case .message(let outcome) = commit else { return .failure(.inconsistent("a message write logged something else")) }
                return .success(outcome)
            }
        }
    }
}

/// Merges a page of messages and a page of other log entries, each in `seq` order and each
/// read with the same limit: entries up to the lower end of a full page are complete. Entries
/// whose actors the reader blocked are left out after the bound is set, so pages stay whole.
func mergedLogPage(
    messages: [RoomLogEntry], messagesFull: Bool, events: [RoomLogEntry], eventsFull: Bool, hiddenSenders: Set<UserID>
) -> RoomLogPage {
    var bound = Int64.max
    if messagesFull, let last = messages.last { bound = min(bound, last.seq) }
    if eventsFull, let last = events.last { bound = min(bound, last.seq) }
    let entries = (messages + events)
        .filter { $0.seq <= bound && hiddenSenders.isDisjoint(with: $0.actors) }
        .sorted { $0.seq < $1.seq }
    return RoomLogPage(entries: entries, next: bound == .max ? nil : bound)
}

extension ReactionCount {
    /// Groups (emoji, user) pairs in the order given: an emoji sits where it first appeared.
    static func grouping(_ reactions: [(emoji: String, userID: UserID)]) -> [ReactionCount] {
        var order: [String] = []
        var users: [String: [UserID]] = [:]
        for (emoji, userID) in reactions {
            if users[emoji] == nil { order.append(emoji) }
            users[emoji, default: []].append(userID)
        }
        return order.map { ReactionCount(emoji: $0, userIDs: users[$0] ?? []) }
    }
}
