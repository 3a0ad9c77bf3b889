import FitChatClient
import FitChatProtocol
import Foundation

extension REPLController {
    /// One entered line: text for the current room or a slash command. Problems become a
    /// one-line hint; false only for `/quit`.
    func perform(_ line: String) async -> Bool {
        switch SlashCommand.parse(line) {
        case nil:
            return true
        case .failure(let hint):
            showProblem(hint.text)
            return true
        case .success(.quit):
            return false
        case .success(let command) where mustWait(command):
            heldLines = [line]
            return true
        case .success(let command):
            do {
                try await run(command)
            } catch {
                showProblem(error.description)
            }
            return true
        }
    }

    private func run(_ command: SlashCommand) async throws(ClientError) {
        switch command {
        case .say(let text):
            guard let current else { return showProblem("no room yet: /join ROOM first (/rooms lists them)") }
            say(text, in: current)
        case .join(let argument):
            try await join(argument)
        case .rooms:
            try await refreshRooms()
            let ids = ShortIDs(rooms.keys)
            for room in rooms.values.sorted(by: { name(of: $0.id) < name(of: $1.id) }) {
                let marker = room.id == current ? style.accent("* ") : "  "
                let unread = (room.unreadCount ?? 0) > 0 ? style.accent("  \(room.unreadCount ?? 0) unread") : ""
                show("\(marker)\(style.bold(name(of: room.id)))  \(style.dim("id \(ids[room.id])"))\(unread)")
            }
        case .message(let user, let text):
            let room = try await resolver.room("@" + user)
            if rooms[room] == nil { try await refreshRooms() }
            say(text, in: room)
        case .history(let count):
            guard let current else { return showProblem("no room yet: /join ROOM first") }
            try await showHistory(of: current, limit: count)
        case .who:
            guard let current else { return showProblem("no room yet: /join ROOM first") }
            let room = try await api.room(current)
            learn(room.participants ?? [])
            for user in room.participants ?? [] { show(style.describe(user)) }
        case .friends:
            let friends = try await api.friends()
            friendIDs = Set(friends.map(\.id))
            learn(friends)
            if friends.isEmpty { show(style.dim("no friends yet: 'fitchat friends add USER'")) }
            for friend in friends { show(style.describe(friend)) }
        case .block(let user):
            let blocked = try await api.block(try await resolver.user(user))
            show(style.dim("blocked \(blocked.username): you will not see their messages"))
        case .search(let text):
            let found = try await api.searchMessages(text)
            if found.isEmpty { show(style.dim("nothing found for \"\(text)\"")) }
            for message in found.prefix(20) { show(format(message, namingTheRoom: true)) }
        case .read:
            guard let current else { return showProblem("no room yet: /join ROOM first") }
            _ = try await api.markRead(current)
            show(style.dim("\(name(of: current)) marked read"))
        case .edit(let reference, let text):
            _ = try await api.editMessage(try await message(reference, own: true), content: text)
        case .delete(let reference):
            try await api.deleteMessage(try await message(reference, own: true))
        case .react(let emoji, let reference, let on):
            try await api.react(try await message(reference, own: false), emoji: emoji, on: on)
        case .upload(let path, let caption):
            guard let current else { return showProblem("no room yet: /join ROOM first") }
            try await upload(path, caption: caption, to: current)
        case .help:
            for usage in SlashCommand.usages {
                show("\(style.bold(usage.line.padding(toLength: 20, withPad: " ", startingAt: 0))) \(usage.summary)")
            }
            show(style.dim("A plain line goes to the current room (//text sends /text). Tab completes; Ctrl-C clears the line."))
        case .quit:
            break
        }
    }

    private func join(_ argument: String) async throws(ClientError) {
        let room = try await resolver.room(argument)
        if rooms[room] == nil { try await refreshRooms() }
        if room != current {
            for frame in throttle.stop() { try? session.send(frame) }
            current = room
            typing = []
            updatePrompt()
        }
        try await showHistory(of: room, limit: 10)
    }

    func showHistory(of room: RoomID, limit: Int) async throws(ClientError) {
        let messages = try await api.messages(in: room, limit: limit)
        if messages.isEmpty { show(style.dim("no messages in \(name(of: room)) yet")) }
        for message in messages {
            remember(message)
            show(format(message) + (message.editedAt != nil && message.deleted != true ? style.dim(" (edited)") : ""))
        }
    }

    /// Uploads the file, then sends it; the room (this REPL too) sees the message arrive.
    private func upload(_ path: String, caption: String, to room: RoomID) async throws(ClientError) {
        let file = try LocalFile(path: path)
        defer { try? file.handle.close() }
        show(style.dim("* uploading \(file.filename)…"))
        let info = try await api.upload(file, to: room)
        _ = try await api.postMessage(PostMessageRequest(content: caption, messageType: file.messageType, attachmentID: info.id), to: room)
    }

    /// What `/edit`, `/delete` and `/react` act on: the message given (an id or its prefix), or
    /// the current room's newest (`own`: my newest).
    private func message(_ reference: String?, own: Bool) async throws(ClientError) -> MessageID {
        guard let current else { throw .usage("no room yet: /join ROOM first") }
        if let reference { return try await resolver.message(reference, in: current) }
        guard let id = own ? lastOwnMessage[current] : lastMessage[current] else {
            throw .usage(own ? "you have sent nothing here yet: give the message's id" : "no message here yet: give the message's id")
        }
        return id
    }
}
