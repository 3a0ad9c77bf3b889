import FitChatProtocol

/// Turns what people type into ids: `ROOM` (a name, `@username`, an id or an id prefix), `USER`
/// (a username, an id or an id prefix) and `MESSAGE` (an id or an id prefix). Prefixes work as
/// git's short hashes do: at least four hex digits naming exactly one thing; several is an
/// error that lists them. A name always wins over a prefix that happens to spell it.
public struct NameResolver: Sendable {
    let api: ChatAPI
    let profile: ProfileStore

    public init(api: ChatAPI, profile: ProfileStore) {
        self.api = api
        self.profile = profile
    }

    // MARK: Rooms

    /// Runs `body` with the room's id; a name found only in a stale cache is looked up afresh once.
    public func withRoom<T: Sendable>(_ argument: String, _ body: (RoomID) async throws(ClientError) -> T) async throws(ClientError) -> T {
        let (id, fromCache) = try await resolveRoom(argument)
        do {
            return try await body(id)
        } catch .refused(let code, _, _) where fromCache && (code == .notFound || code == .notAMember) {
            let (fresh, _) = try await resolveRoom(argument, refresh: true)
            return try await body(fresh)
        }
    }

    public func room(_ argument: String) async throws(ClientError) -> RoomID {
        try await resolveRoom(argument).id
    }

    /// The rooms of the caller, fetched now (and cached for names and completion).
    public func refreshRooms() async throws(ClientError) -> [RoomInfo] {
        let rooms = try await api.rooms()
        profile.cacheRooms(rooms)
        profile.cacheUsernames(rooms.filter { $0.type == .direct }.compactMap(\.name))
        return rooms
    }

    private func resolveRoom(_ argument: String, refresh: Bool = false) async throws(ClientError) -> (id: RoomID, fromCache: Bool) {
        if let id = RoomID(argument) { return (id, false) }
        if argument.hasPrefix("@") {
            let username = String(argument.dropFirst())
            guard !username.isEmpty else { throw .usage("'@' must be followed by a username") }
            if !refresh, let cached = profile.cachedRooms().first(where: { $0.type == .direct && $0.name?.lowercased() == username.lowercased() }) {
                return (cached.id, true)
            }
            let room = try await api.createRoom(CreateRoomRequest(type: .direct, username: username))
            profile.cacheRooms(profile.cachedRooms().filter { $0.id != room.id } + [room])
            return (room.id, false)
        }
        // A prefix is matched against the rooms as they are now: a cached list may lack the
        // room that makes it ambiguous.
        if !refresh, ChatIDPrefix(argument) == nil, let id = try? match(argument, in: profile.cachedRooms()) { return (id, true) }
        return (try match(argument, in: try await refreshRooms()), false)
    }

    private func match(_ argument: String, in rooms: [RoomInfo]) throws(ClientError) -> RoomID {
        var candidates = rooms.filter { $0.name == argument }
        if candidates.isEmpty { candidates = rooms.filter { $0.name?.lowercased() == argument.lowercased() } }
        let named = !candidates.isEmpty
        if !named, let prefix = ChatIDPrefix(argument) { candidates = rooms.filter { prefix.matches($0.id) } }
        let short = ChatID.shortPrefixes(of: rooms.map(\.id))
        func label(_ room: RoomInfo) -> String {
            "\(short[room.id] ?? room.id.uuidString) (\(room.type == .direct ? "@" : "")\(room.name ?? room.type.rawValue))"
        }
        switch candidates.count {
        case 1: return candidates[0].id
        case 0: throw .unresolved("no room named '\(argument)' among yours ('fitchat rooms' lists them)")
        default:
            let list = candidates.map(label).joined(separator: ", ")
            throw .unresolved(named
                ? "room name '\(argument)' is ambiguous: \(list); use the id"
                : "room id prefix '\(argument)' is ambiguous: \(list); give more of it")
        }
    }

    // MARK: Users

    /// A `USER` argument as a REST body names a user: a username is left to the server, an id
    /// or id prefix becomes the user's id.
    public func user(_ argument: String) async throws(ClientError) -> UserReference {
        if let id = UserID(argument) { return UserReference(userID: id) }
        let name = argument.hasPrefix("@") ? String(argument.dropFirst()) : argument
        guard !argument.hasPrefix("@"), let prefix = ChatIDPrefix(argument) else { return UserReference(username: name) }
        if try await api.searchUsers(argument).contains(where: { $0.username.lowercased() == argument.lowercased() }) {
            return UserReference(username: name)
        }
        let candidates = try await api.users(idPrefix: prefix)
        switch candidates.count {
        case 0: return UserReference(username: name)
        case 1: return UserReference(userID: candidates[0].id)
        default:
            let short = ChatID.shortPrefixes(of: candidates.map(\.id))
            let list = candidates.map { "\(short[$0.id] ?? $0.id.uuidString) (\($0.username))" }.joined(separator: ", ")
            throw .unresolved("user id prefix '\(argument)' is ambiguous: \(list); give more of it")
        }
    }

    public func users(_ arguments: [String]) async throws(ClientError) -> [UserReference] {
        var references: [UserReference] = []
        for argument in arguments { references.append(try await user(argument)) }
        return references
    }

    /// A `USER` argument as an id (usernames are looked up).
    public func userID(_ argument: String) async throws(ClientError) -> UserID {
        let reference = try await user(argument)
        if let id = reference.userID { return id }
        let username = reference.username ?? argument
        guard let user = try await api.searchUsers(username).first(where: { $0.username.lowercased() == username.lowercased() }) else {
            throw .unresolved("no user named '\(username)'")
        }
        return user.id
    }

    // MARK: Messages

    /// A `MESSAGE` argument (`--reply-to`): an id, or the prefix of one in `room` (any of the
    /// caller's rooms when nil).
    public func message(_ argument: String, in room: RoomID?) async throws(ClientError) -> MessageID {
        if let id = MessageID(argument) { return id }
        guard let prefix = ChatIDPrefix(argument) else {
            throw .usage("'\(argument)' is not a message id: give the id, or at least \(ChatIDPrefix.minimumDigits) of its first hex digits")
        }
        let candidates = try await api.messages(idPrefix: prefix, roomID: room)
        switch candidates.count {
        case 1: return candidates[0].id
        case 0: throw .unresolved("no message \(argument)\(room == nil ? " in your rooms" : " in this room")")
        default:
            let short = ChatID.shortPrefixes(of: candidates.map(\.id))
            let list = candidates.prefix(10).map { "\(short[$0.id] ?? $0.id.uuidString) (#\($0.seq) \($0.senderUsername))" }
            throw .unresolved("message id prefix '\(argument)' is ambiguous: \(list.joined(separator: ", ")); give more of it")
        }
    }
}
