import FitChatProtocol
import Synchronization

/// Which rooms a live session follows, for `tail` and the bot runner. Started with the rooms
/// asked for; when following all of the user's rooms, a room the user is added to (or a direct
/// room opened with them) while it runs is joined as soon as its `room_updated` arrives, from
/// the room's position at that moment, so no message sent to it afterwards is missed. A room
/// the user left or that was deleted is let go, so reconnects do not ask for it again.
public final class RoomFollower: Sendable {
    private struct State {
        var names: [RoomID: String]
        /// The rooms followed now (names are kept after a room is let go, for what is said of it).
        var followed: Set<RoomID>
        /// Usernames of the rooms' participants, for events that name users by id.
        var usernames: [UserID: String] = [:]

        mutating func learn(_ room: RoomInfo) {
            for user in room.participants ?? [] { usernames[user.id] = user.username }
        }
    }

    public let session: ChatSession
    private let me: UserID
    private let followsNewRooms: Bool
    private let state: Mutex<State>

    /// `rooms` with the `seq` each starts after; `followsNewRooms` when no room was named.
    public init(session: ChatSession, me: UserID, rooms: [(room: RoomInfo, after: Int64)], followsNewRooms: Bool) {
        self.session = session
        self.me = me
        self.followsNewRooms = followsNewRooms
        var initial = State(
            names: Dictionary(rooms.map { ($0.room.id, Self.displayName($0.room)) }, uniquingKeysWith: { first, _ in first }),
            followed: Set(rooms.map(\.room.id))
        )
        for (room, _) in rooms { initial.learn(room) }
        state = Mutex(initial)
        for (room, after) in rooms { session.join(room.id, sinceSeq: after) }
    }

    public func follows(_ roomID: RoomID) -> Bool {
        state.withLock { $0.followed.contains(roomID) }
    }

    /// The rooms followed now, by name as people read them (`@bob` for a direct room).
    public var followedRooms: [(id: RoomID, name: String)] {
        state.withLock { state in
            state.followed.map { ($0, state.names[$0] ?? ShortIDs()[$0]) }.sorted { ($0.name, $0.id.uuidString) < ($1.name, $1.id.uuidString) }
        }
    }

    /// The room's name as people read it (`@bob` for a direct room), or its short id.
    public func name(of roomID: RoomID) -> String {
        state.withLock { $0.names[roomID] } ?? ShortIDs()[roomID]
    }

    /// A user's name as learned from the rooms' participants and from events, or their short id.
    public func username(of userID: UserID) -> String {
        state.withLock { $0.usernames[userID] } ?? ShortIDs()[userID]
    }

    /// Sees every event of the session; acts on the user's room changes.
    public func observe(_ event: ServerEvent) {
        switch event {
        case .newMessage(let message): state.withLock { $0.usernames[message.senderID] = message.senderUsername }
        case .typingIndicator(let typing): state.withLock { $0.usernames[typing.userID] = typing.username }
        case .userStatusChange(let status): state.withLock { $0.usernames[status.userID] = status.username }
        default: break
        }
        guard case .roomUpdated(let update) = event else { return }
        if let room = update.room { state.withLock { $0.learn(room) } }
        switch update.change {
        case .created, .participantAdded, .renamed:
            let joinedNow = state.withLock { state -> Bool in
                let known = state.followed.contains(update.roomID)
                guard known || (followsNewRooms && update.change != .renamed) else { return false }
                if let room = update.room { state.names[update.roomID] = Self.displayName(room) }
                state.followed.insert(update.roomID)
                return !known
            }
            if joinedNow { session.join(update.roomID, sinceSeq: update.room?.lastSeq ?? 0) }
        case .participantRemoved where update.userIDs?.contains(me) == true, .deleted:
            let followed = state.withLock { $0.followed.remove(update.roomID) != nil }
            if followed { session.forget(update.roomID) }
        case .participantRemoved:
            break
        }
    }

    private static func displayName(_ room: RoomInfo) -> String {
        let name = room.name ?? ShortIDs()[room.id]
        return room.type == .direct ? "@" + name : name
    }
}
