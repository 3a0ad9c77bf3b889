import FitChatClient
import FitChatProtocol
import Foundation

/// The REPL's state and reactions. Confined to the one task that reads the stimuli, so plain
/// mutable state is safe here.
final class REPLController {
    let api: ChatAPI
    let store: ProfileStore
    let session: ChatSession
    let style: TextStyle
    let me: UserInfo
    private(set) var editor: LineEditor?

    var rooms: [RoomID: RoomInfo] = [:]
    var current: RoomID?
    var friendIDs: Set<UserID> = []
    /// Names learned from rooms, friends and events, for receipts and completion.
    var usernames: [UserID: String] = [:]
    /// Who is typing in the current room, in the order they started.
    var typing: [String] = []
    var throttle = TypingThrottle()
    /// Sends not yet acknowledged, by `client_msg_id`: sent again (idempotently) after a reconnect.
    /// Kept in the order typed, which is the order they are sent again.
    var unacknowledged: [SendMessage] = []
    /// Per room, my newest message (id and seq) and who has been shown as having read it.
    var readers: [RoomID: (message: MessageID, seq: Int64, shown: Set<UserID>)] = [:]
    /// The seqs of messages seen lately: a receipt names ids, and one for a later message means
    /// mine was read too.
    var seqs = RecentMap<MessageID, Int64>(capacity: 10_000)
    /// Messages seen lately, for what refers to them later: replies quote them, deletions and
    /// reactions name them.
    var recent = RecentMap<MessageID, ChatMessage>(capacity: 2_000)
    /// Per room, the newest message (what `/react` acts on) and my newest (`/edit`, `/delete`).
    var lastMessage: [RoomID: MessageID] = [:]
    var lastOwnMessage: [RoomID: MessageID] = [:]
    /// Lines typed while a command on the newest message waits for this room's sends to be
    /// acknowledged (a message is only known by its id once it is), held with everything typed
    /// after it and run in order once they are: `hi` then `/edit hello` edits `hi`.
    var heldLines: [String] = []
    var connected = false
    var everConnected = false
    /// Why the REPL had to stop, for the exit code.
    private(set) var failure: ClientError?

    var resolver: NameResolver { NameResolver(api: api, profile: store) }

    private init(api: ChatAPI, store: ProfileStore, style: TextStyle, me: UserInfo) {
        self.api = api
        self.store = store
        self.style = style
        self.me = me
        session = ChatSession(api: api)
    }

    /// Loads who I am, my rooms and friends, picks the room to start in, and joins every room.
    static func start(api: ChatAPI, store: ProfileStore, initialRoom: String?, style: TextStyle) async throws(ClientError) -> REPLController {
        let controller = REPLController(api: api, store: store, style: style, me: try await api.me())
        try await controller.refreshRooms()
        let friends = try await api.friends()
        controller.friendIDs = Set(friends.map(\.id))
        controller.learn(friends)
        if let initialRoom {
            controller.current = try await controller.resolver.room(initialRoom)
            try await controller.refreshRooms()
        } else {
            controller.current = controller.rooms.values.max { ($0.lastMessage?.createdAt ?? $0.createdAt) < ($1.lastMessage?.createdAt ?? $1.createdAt) }?.id
        }
        return controller
    }

    func attach(_ editor: LineEditor) {
        self.editor = editor
        updateCandidates()
        show(style.dim("fitchat: \(me.username) on \(api.server) — /help for commands, Ctrl-D to quit"))
    }

    /// Handles one stimulus; false when the REPL should end.
    func handle(_ stimulus: REPL.Stimulus) async -> Bool {
        switch stimulus {
        case .started:
            guard let current else { break }
            do { try await showHistory(of: current, limit: 10) } catch { showProblem(error.description) }
        case .keyboard(.endOfInput):
            return false
        case .keyboard(.edited(let line)):
            for frame in throttle.edited(line, in: current, at: .now) { try? session.send(frame) }
        case .keyboard(.line(let line)):
            guard heldLines.isEmpty else {
                // `/quit` is never held back behind a send that may take a reconnect to land.
                if case .success(.quit)? = SlashCommand.parse(line) { return false }
                heldLines.append(line)
                return true
            }
            return await perform(line)
        case .server(let event):
            await handle(event)
            return await runHeldLines()
        case .sessionEnded(let error):
            failure = error
            return false
        }
        return true
    }

    // MARK: Sending

    /// Sends over the WebSocket with a `client_msg_id`, so a send lost to a dropped connection
    /// is sent again after reconnecting and still stored once.
    func say(_ text: String, in room: RoomID) {
        let key = UUID().uuidString.lowercased()
        let frame = SendMessage(roomID: room, content: text, clientMessageID: key)
        unacknowledged.append(frame)
        throttle.sent()
        guard connected else {
            show(style.dim("(offline: sent when the connection is back)"))
            return
        }
        try? session.send(.sendMessage(frame), id: key)
    }

    func resendUnacknowledged() {
        for frame in unacknowledged { try? session.send(.sendMessage(frame), id: frame.clientMessageID) }
    }

    /// Whether `command` has to wait for the current room's sends to be acknowledged.
    func mustWait(_ command: SlashCommand) -> Bool {
        guard command.actsOnTheNewestMessage, let current else { return false }
        return unacknowledged.contains { $0.roomID == current }
    }

    /// Runs the held lines once the sends they wait for are acknowledged, in order, until one
    /// has to wait again; false when one of them was `/quit`.
    private func runHeldLines() async -> Bool {
        guard let first = heldLines.first else { return true }
        if case .success(let command)? = SlashCommand.parse(first), mustWait(command) { return true }
        var lines = heldLines
        heldLines = []
        while !lines.isEmpty {
            guard await perform(lines.removeFirst()) else { return false }
            if !heldLines.isEmpty {
                heldLines += lines
                return true
            }
        }
        return true
    }

    /// The unacknowledged send with this `client_msg_id`, taken off the list.
    func acknowledge(_ key: String) -> SendMessage? {
        guard let index = unacknowledged.firstIndex(where: { $0.clientMessageID == key }) else { return nil }
        return unacknowledged.remove(at: index)
    }

    // MARK: Rooms and names

    func refreshRooms() async throws(ClientError) {
        let list = try await resolver.refreshRooms()
        let known = Set(rooms.keys)
        rooms = Dictionary(uniqueKeysWithValues: list.map { ($0.id, $0) })
        for room in list where !known.contains(room.id) { session.join(room.id, sinceSeq: room.lastSeq) }
        if let current, rooms[current] == nil { self.current = nil }
        learn(list.flatMap { $0.participants ?? [] })
        updateCandidates()
    }

    func learn(_ users: [UserInfo]) {
        for user in users { usernames[user.id] = user.username }
        store.cacheUsernames(users.map(\.username))
    }

    func name(of room: RoomID) -> String {
        guard let info = rooms[room] else { return "room \(ShortIDs()[room])" }
        return info.type == .direct ? "@" + (info.name ?? "?") : (info.name ?? "room \(ShortIDs()[room])")
    }

    func name(ofUser user: UserID) -> String {
        usernames[user] ?? "user \(ShortIDs()[user])"
    }

    var prompt: String {
        var prompt = connected ? "" : style.warning(everConnected ? "(offline) " : "(connecting) ")
        if !typing.isEmpty {
            prompt += style.dim("(\(typing.joined(separator: ", ")) \(typing.count == 1 ? "is" : "are") typing) ")
        }
        prompt += current.map { style.accent(name(of: $0)) } ?? style.dim("(no room)")
        return prompt + "> "
    }

    func updatePrompt() {
        editor?.setPrompt(prompt)
    }

    func updateCandidates() {
        let users = Set(usernames.values).subtracting([me.username]).union(store.cachedUsernames())
        editor?.setCandidates(CompletionCandidates(
            commands: SlashCommand.usages.map(\.name),
            rooms: rooms.keys.map { name(of: $0) },
            usernames: users.sorted()
        ))
    }

    func show(_ lines: String...) {
        for line in lines { editor?.print(line) }
    }

    func showProblem(_ text: String) {
        show(style.warning("! ") + text)
    }
}
