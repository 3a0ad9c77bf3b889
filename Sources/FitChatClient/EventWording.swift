import FitChatProtocol

/// Server events as sentences for people (`bob is typing in #general`, `you were added to
/// #ops`): what human `tail` output prints, never the protocol's internal names.
public struct EventWording: Sendable {
    let rooms: RoomFollower
    let me: UserID

    public init(rooms: RoomFollower, me: UserID) {
        self.rooms = rooms
        self.me = me
    }

    /// The event in words; nil for events a person does not need to see.
    public func describe(_ event: ServerEvent) -> String? {
        switch event {
        case .typingIndicator(let typing):
            return "\(typing.username) \(typing.isTyping ? "is typing" : "stopped typing") in \(place(typing.roomID))"
        case .userStatusChange(let status):
            let seen = status.lastSeen.map { " (last seen \(TextStyle.when($0)))" } ?? ""
            return status.isOnline ? "\(status.username) is online" : "\(status.username) went offline\(seen)"
        case .messageReadReceipt(let receipt):
            return "\(rooms.username(of: receipt.userID)) read \(count(receipt.messageIDs.count)) in \(place(receipt.roomID))"
        case .messageDelivered(let receipt):
            let reached = receipt.deliveries.map { "\(rooms.username(of: $0.userID)) (\($0.messageIDs.count))" }.joined(separator: ", ")
            let messages = Set(receipt.deliveries.flatMap(\.messageIDs)).count
            return "\(count(messages)) in \(place(receipt.roomID)) reached \(reached)"
        case .messageEdited(let edit):
            let content = edit.message.content.replacingOccurrences(of: "\n", with: " ")
            return "\(edit.message.senderUsername) edited #\(edit.message.seq) \(ShortIDs()[edit.message.id]) in \(place(edit.message.roomID)): \(content)"
        case .messageDeleted(let deletion):
            let who = deletion.userID.map { $0 == me ? "you" : rooms.username(of: $0) } ?? "someone"
            return "\(who) deleted \(ShortIDs()[deletion.id]) in \(place(deletion.roomID))"
        case .reaction(let reaction):
            let who = reaction.userID == me ? "you" : reaction.username ?? rooms.username(of: reaction.userID)
            let verb = reaction.on ? "reacted \(reaction.emoji) to" : "took back \(reaction.emoji) from"
            return "\(who) \(verb) \(ShortIDs()[reaction.messageID]) in \(place(reaction.roomID))"
        case .roomUpdated(let update):
            return describe(update)
        case .error(let error):
            return "error (\(error.code.rawValue)): \(error.message)"
        default:
            return nil
        }
    }

    private func describe(_ update: RoomUpdated) -> String {
        let room = place(update.roomID)
        let users = (update.userIDs ?? []).map { $0 == me ? "you" : rooms.username(of: $0) }
        let who = users.isEmpty ? "someone" : users.joined(separator: ", ")
        switch update.change {
        case .created: return "you are in a new room: \(room)"
        case .renamed: return "the room is now called \(room)"
        case .deleted: return "\(room) was deleted"
        case .participantAdded: return users == ["you"] ? "you were added to \(room)" : "\(who) joined \(room)"
        case .participantRemoved: return users == ["you"] ? "you left \(room)" : "\(who) left \(room)"
        }
    }

    private func place(_ roomID: RoomID) -> String {
        let name = rooms.name(of: roomID)
        return name.hasPrefix("@") ? name : "#" + name
    }

    private func count(_ messages: Int) -> String {
        messages == 1 ? "1 message" : "\(messages) messages"
    }
}
