import FitChatProtocol
import Foundation

extension ChatService {
    func friends(of caller: AuthenticatedUser) async throws -> [UserInfo] {
        try await store.friends(of: caller.id).map { userInfo($0, viewer: caller.id) }
    }

    func friendRequests(of caller: AuthenticatedUser) async throws -> FriendRequestList {
        let requests = try await store.friendRequests(involving: caller.id)
        var incoming: [FriendRequestInfo] = []
        var outgoing: [FriendRequestInfo] = []
        for request in requests {
            let info = try await friendRequestInfo(request, viewer: caller.id)
            if request.addresseeID == caller.id { incoming.append(info) } else { outgoing.append(info) }
        }
        return FriendRequestList(incoming: incoming, outgoing: outgoing)
    }

    /// Sends a request; if the other user already asked, this accepts theirs instead.
    func requestFriendship(_ caller: AuthenticatedUser, with reference: UserReference) async throws -> FriendRequestInfo {
        let other = try await resolve(reference)
        guard other.id != caller.id else { throw ServerError.invalid("you cannot befriend yourself") }
        if blocks.blocked(by: other.id).contains(caller.id) { throw ServerError.blocked }
        if blocks.blocked(by: caller.id).contains(other.id) {
            throw ServerError.forbidden("you have blocked \(other.username); unblock them first")
        }
        if let existing = try await store.friendRequest(between: caller.id, and: other.id) {
            if existing.accepted { throw ServerError.conflict("you are already friends with \(other.username)") }
            if existing.requesterID == caller.id { throw ServerError.conflict("you already asked \(other.username)") }
            return try await friendRequestInfo(try await store.acceptFriendRequest(id: existing.id, at: Date()), viewer: caller.id)
        }
        let request = try await store.createFriendRequest(from: caller.id, to: other.id, at: Date())
        return try await friendRequestInfo(request, viewer: caller.id)
    }

    func acceptFriendRequest(_ caller: AuthenticatedUser, id: FriendRequestID) async throws -> FriendRequestInfo {
        let request = try await pendingRequest(id, visibleTo: caller)
        guard request.addresseeID == caller.id else { throw ServerError.forbidden("only the addressee can accept a request") }
        return try await friendRequestInfo(try await store.acceptFriendRequest(id: id, at: Date()), viewer: caller.id)
    }

    /// The addressee declines, or the requester withdraws.
    func declineFriendRequest(_ caller: AuthenticatedUser, id: FriendRequestID) async throws {
        _ = try await pendingRequest(id, visibleTo: caller)
        try await store.deleteFriendRequest(id: id)
    }

    func removeFriend(_ caller: AuthenticatedUser, userID: UserID) async throws {
        guard let request = try await store.friendRequest(between: caller.id, and: userID), request.accepted else {
            throw ServerError.notFound("user \(userID) is not your friend")
        }
        try await store.deleteFriendRequest(id: request.id)
    }

    func blockedUsers(of caller: AuthenticatedUser) async throws -> [UserInfo] {
        try await store.blockedUsers(by: caller.id).map { userInfo($0, viewer: caller.id) }
    }

    func block(_ caller: AuthenticatedUser, _ reference: UserReference) async throws -> UserInfo {
        let other = try await resolve(reference)
        guard other.id != caller.id else { throw ServerError.invalid("you cannot block yourself") }
        try await store.block(other.id, by: caller.id, at: Date())
        await fanOut.blockChanged(blocker: caller.id, blocked: other.id, blocking: true)
        return userInfo(other, viewer: caller.id)
    }

    func unblock(_ caller: AuthenticatedUser, userID: UserID) async throws {
        guard try await store.unblock(userID, by: caller.id) else { throw ServerError.notFound("user \(userID) is not blocked") }
        await fanOut.blockChanged(blocker: caller.id, blocked: userID, blocking: false)
    }

    private func pendingRequest(_ id: FriendRequestID, visibleTo caller: AuthenticatedUser) async throws -> FriendRequestRecord {
        guard let request = try await store.friendRequest(id: id),
            request.requesterID == caller.id || request.addresseeID == caller.id
        else { throw ServerError.notFound("no friend request \(id)") }
        guard !request.accepted else { throw ServerError.conflict("friend request \(id) was already accepted") }
        return request
    }

    private func friendRequestInfo(_ request: FriendRequestRecord, viewer: UserID) async throws -> FriendRequestInfo {
        FriendRequestInfo(
            id: request.id,
            from: userInfo(try await requireUser(request.requesterID), viewer: viewer),
            to: userInfo(try await requireUser(request.addresseeID), viewer: viewer),
            status: request.accepted ? .accepted : .pending,
            createdAt: request.createdAt
        )
    }
}
