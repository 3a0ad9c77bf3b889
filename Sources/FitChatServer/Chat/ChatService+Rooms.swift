import FitChatProtocol
import Foundation

extension ChatService {
    func rooms(of caller: AuthenticatedUser) async throws -> [RoomInfo] {
        try await store.roomSummaries(for: caller.id, hiddenSenders: blocks.blocked(by: caller.id)).map { summary in
            var info = roomInfo(summary.room, members: summary.members, viewer: caller.id)
            info.unreadCount = summary.unreadCount
            info.lastMessage = summary.lastMessage
            return info
        }
    }

    func room(_ roomID: RoomID, caller: AuthenticatedUser) async throws -> RoomInfo {
        let room = try await requireMembership(caller.id, in: roomID)
        var info = roomInfo(room, members: try await store.members(of: roomID), viewer: caller.id)
        info.unreadCount = try await store.unreadCount(roomID: roomID, userID: caller.id, hiddenSenders: blocks.blocked(by: caller.id))
        return info
    }

    /// Creates a group, or finds (creating on first use) the direct room with another user.
    func createRoom(_ caller: AuthenticatedUser, _ request: CreateRoomRequest) async throws -> (room: RoomInfo, created: Bool) {
        switch request.type {
        case .direct:
            let other = try await resolve(UserReference(userID: request.userID, username: request.username))
            guard other.id != caller.id else { throw ServerError.invalid("a direct room needs another user") }
            if blocks.blocked(by: other.id).contains(caller.id) { throw ServerError.blocked }
            let (room, created) = try await store.findOrCreateDirectRoom(between: caller.id, and: other.id, at: Date())
            if created { try await announce(room, change: .created, userIDs: nil) }
            return (try await self.room(room.id, caller: caller), created)
        case .group:
            guard let rawName = request.name else { throw ServerError.invalid("name is required for a group") }
            let name = try Validation.roomName(rawName)
            let members = try await addableUsers(ids: request.participantIDs, usernames: request.participantUsernames, by: caller)
            let room = try await store.createGroupRoom(name: name, ownerID: caller.id, memberIDs: members.map(\.id), at: Date())
            try await announce(room, change: .created, userIDs: nil)
            return (try await self.room(room.id, caller: caller), true)
        }
    }

    func renameRoom(_ roomID: RoomID, to rawName: String, caller: AuthenticatedUser) async throws -> RoomInfo {
        let room = try await requireMembership(caller.id, in: roomID)
        guard room.kind == .group else { throw ServerError.invalid("a direct room has no name to change") }
        try await store.renameRoom(roomID, to: try Validation.roomName(rawName))
        try await announce(roomID, change: .renamed, userIDs: nil)
        return try await self.room(roomID, caller: caller)
    }

    func deleteRoom(_ roomID: RoomID, caller: AuthenticatedUser) async throws {
        let room = try await requireMembership(caller.id, in: roomID)
        guard room.kind == .group, room.ownerID == caller.id else { throw ServerError.forbidden("only the room's owner can delete it") }
        let memberIDs = try await store.memberIDs(of: roomID)
        try await store.deleteRoom(roomID)
        await fanOut.roomDeleted(roomID)
        fanOut.toUsers(.roomUpdated(RoomUpdated(roomID: roomID, change: .deleted)), memberIDs)
    }

    func addParticipants(_ roomID: RoomID, _ request: AddParticipantsRequest, caller: AuthenticatedUser) async throws -> RoomInfo {
        let room = try await requireMembership(caller.id, in: roomID)
        guard room.kind == .group else { throw ServerError.invalid("a direct room always has exactly two participants") }
        let users = try await addableUsers(ids: request.userIDs, usernames: request.usernames, by: caller)
        guard !users.isEmpty else { throw ServerError.invalid("user_ids or usernames is required") }
        let added = try await store.addMembers(users.map(\.id), to: roomID, at: Date())
        if !added.isEmpty { try await announce(roomID, change: .participantAdded, userIDs: added) }
        return try await self.room(roomID, caller: caller)
    }

    /// Removes a participant: anyone may leave; only the owner removes others.
    func removeParticipant(_ userID: UserID, from roomID: RoomID, caller: AuthenticatedUser) async throws {
        let room = try await requireMembership(caller.id, in: roomID)
        guard room.kind == .group else { throw ServerError.forbidden("a direct room cannot be left") }
        guard userID == caller.id || room.ownerID == caller.id else {
            throw ServerError.forbidden("only the room's owner can remove others")
        }
        guard try await store.removeMember(userID, from: roomID) else { throw ServerError.notFound("user \(userID) is not a participant") }
        await fanOut.memberLeft(userID, roomID: roomID)
        if typing.stop(.init(roomID: roomID, userID: userID)), let user = try await store.user(id: userID) {
            fanOut.roomEvent(.typingIndicator(.init(roomID: roomID, userID: userID, username: user.username, isTyping: false)), in: roomID, actor: userID)
        }
        try await announce(roomID, change: .participantRemoved, userIDs: [userID], alsoTell: [userID])
    }

    /// `room_updated` to every participant (and to `alsoTell`, e.g. who was just removed).
    func announce(_ roomID: RoomID, change: RoomUpdated.Change, userIDs: [UserID]?, alsoTell: [UserID] = []) async throws {
        guard let room = try await store.room(id: roomID) else { return }
        try await announce(room, change: change, userIDs: userIDs, alsoTell: alsoTell)
    }

    private func announce(_ room: RoomRecord, change: RoomUpdated.Change, userIDs: [UserID]?, alsoTell: [UserID] = []) async throws {
        let members = try await store.members(of: room.id)
        for member in members.map(\.id) + alsoTell {
            // Direct rooms are named after the other participant, so each member gets their own view.
            let info = roomInfo(room, members: members, viewer: member)
            fanOut.toUsers(.roomUpdated(RoomUpdated(roomID: room.id, change: change, room: info, userIDs: userIDs)), [member])
        }
    }

    /// The users named by ids and usernames, refusing anyone who blocked `caller`.
    private func addableUsers(ids: [UserID]?, usernames: [String]?, by caller: AuthenticatedUser) async throws -> [UserRecord] {
        var users: [UserRecord] = []
        for id in ids ?? [] where id != caller.id { users.append(try await requireUser(id)) }
        for username in usernames ?? [] {
            let user = try await resolve(UserReference(username: username))
            if user.id != caller.id { users.append(user) }
        }
        if users.contains(where: { blocks.blocked(by: $0.id).contains(caller.id) }) { throw ServerError.blocked }
        return users
    }

    func roomInfo(_ room: RoomRecord, members: [UserRecord], viewer: UserID) -> RoomInfo {
        let name = room.kind == .direct ? members.first { $0.id != viewer }?.username ?? room.name : room.name
        return RoomInfo(
            id: room.id, type: room.kind, name: name, ownerID: room.ownerID, createdAt: room.createdAt, lastSeq: room.lastSeq,
            participants: members.map { userInfo($0, viewer: viewer) }
        )
    }
}
