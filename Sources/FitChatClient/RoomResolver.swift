import FitChatProtocol

/// Turns `ROOM` arguments (an id, a name, or `@username`) and `USER` arguments (a username or an
/// id) into ids. Names come from the profile's cached room list, refreshed when it falls short.
public struct RoomResolver: Sendable {
    let api: ChatAPI
    let profile: ProfileStore

    public init(api: ChatAPI, profile: ProfileStore) {
        self.api = api
        self.profile = profile
    }

    /// Runs `body` with the room's id; a name found only in a stale cache is looked up afresh once.
    public func withRoom<T: Sendable>(_ argument: String, _ body: (RoomID) async throws(ClientError) -> T) async throws(ClientError) -> T {
        let (id, fromCache) = try await resolve(argument)
        do {
            return try await body(id)
        } catch .refused(let code, _, _) where fromCache && (code == .notFound || code == .notAMember) {
            let (fresh, _) = try await resolve(argument, refresh: true)
            return try await body(fresh)
        }
    }

    public func room(_ argument: String) async throws(ClientError) -> RoomID {
        try await resolve(argument).id
    }

    /// The rooms of the caller, fetched now (and cached for names and completion).
    public func refreshRooms() async throws(ClientError) -> [RoomInfo] {
        let rooms = try await api.rooms()
        profile.cacheRooms(rooms)
        profile.cacheUsernames(rooms.filter { $0.type == .direct }.compactMap(\.name))
        return rooms
    }

    private func resolve(_ argument: String, refresh: Bool = false) async throws(ClientError) -> (id: RoomID, fromCache: Bool) {
        if let id = RoomID(argument), id > 0 { return (id, false) }
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
        if !refresh, let id = try? match(argument, in: profile.cachedRooms()) { return (id, true) }
        return (try match(argument, in: try await refreshRooms()), false)
    }

    private func match(_ name: String, in rooms: [RoomInfo]) throws(ClientError) -> RoomID {
        var candidates = rooms.filter { $0.name == name }
        if candidates.isEmpty { candidates = rooms.filter { $0.name?.lowercased() == name.lowercased() } }
        switch candidates.count {
        case 1: return candidates[0].id
        case 0: throw .unresolved("no room named '\(name)' among yours ('fitchat rooms' lists them)")
        default:
            let list = candidates.map { "\($0.id) (\($0.type.rawValue))" }.joined(separator: ", ")
            throw .unresolved("room name '\(name)' is ambiguous: ids \(list); use the id")
        }
    }

    /// A `USER` argument as the REST body's reference.
    public static func reference(_ argument: String) -> UserReference {
        if let id = UserID(argument), id > 0 { return UserReference(userID: id) }
        return UserReference(username: argument.hasPrefix("@") ? String(argument.dropFirst()) : argument)
    }

    /// A `USER` argument as an id (usernames are looked up).
    public func userID(_ argument: String) async throws(ClientError) -> UserID {
        let reference = Self.reference(argument)
        if let id = reference.userID { return id }
        let username = reference.username ?? argument
        guard let user = try await api.searchUsers(username).first(where: { $0.username.lowercased() == username.lowercased() }) else {
            throw .unresolved("no user named '\(username)'")
        }
        return user.id
    }
}
