import Foundation

/// A friend request, incoming or outgoing.
public struct FriendRequestInfo: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable {
        case pending, accepted
    }

    public var id: FriendRequestID
    public var from: UserInfo
    public var to: UserInfo
    public var status: Status
    public var createdAt: Date

    public init(id: FriendRequestID, from: UserInfo, to: UserInfo, status: Status, createdAt: Date) {
        self.id = id
        self.from = from
        self.to = to
        self.status = status
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case id, from, to, status
        case createdAt = "created_at"
    }
}

/// `GET /api/friends/requests`.
public struct FriendRequestList: Codable, Sendable, Equatable {
    public var incoming: [FriendRequestInfo]
    public var outgoing: [FriendRequestInfo]

    public init(incoming: [FriendRequestInfo], outgoing: [FriendRequestInfo]) {
        self.incoming = incoming
        self.outgoing = outgoing
    }
}
