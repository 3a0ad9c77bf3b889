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
        state = Mutex(State(names: Dictionary(rooms.map { ($0.room.id, Self.displayName($0.room)) }, uniquingKeysWith: { first, _ in first })))
        for (room, after) in rooms { session.join(room.id, sinceSeq: after) }
    }

    public func follows(_ roomID: RoomID) -> Bool {
        state.withLock { $0.names[roomID] != nil }
    }

    /// The room's name as people read it (`@bob` for a direct room), or its short id.
    public func name(of roomID: RoomID) -> String {
        state.withLock { $0.names[roomID] } ?? ShortIDs()[roomID]
    }

    /// Sees every event of the session; acts on the user's room changes.
    public func observe(_ event: ServerEvent) {
        guard case .roomUpdated(let update) = event else { return }
        switch update.change {
        case .created, .participantAdded, .renamed:
            let joinedNow = state.withLock { state -> Bool in
                let known = state.names[update.roomID] != nil
                guard known || (followsNewRooms && update.change != .renamed) else { return false }
                if let room = update.room { state.names[update.roomID] = Self.displayName(room) }
                return !known
            }
            if joinedNow { session.join(update.roomID, sinceSeq: update.room?.lastSeq ?? 0) }
        case .participantRemoved where update.userIDs?.contains(me) == true, .deleted:
            let followed = state.withLock { $0.names.removeValue(forKey: update.roomID) != nil }
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
