import FitChatProtocol

/// The rooms a batch's transaction locks before it writes, in id order: those of its messages,
/// and those of the messages its edits, deletions and reactions change.
struct RoomLocks: Sendable {
    var rooms: [RoomID] = []
    var targets: [MessageID] = []

    init() {}

    init(_ batch: [RoomWrite]) {
        var rooms: Set<RoomID> = []
        for write in batch {
            switch write {
            case .message(let new): rooms.insert(new.roomID)
            case .edit(let messageID, _, _, _), .delete(let messageID, _, _), .react(let messageID, _, _, _, _, _): targets.append(messageID)
            }
        }
        self.rooms = Array(rooms)
    }

    /// The locks still to take, once: nil after the first call.
    mutating func take() -> RoomLocks? {
        guard !rooms.isEmpty || !targets.isEmpty else { return nil }
        defer { self = RoomLocks() }
        return self
    }
}
