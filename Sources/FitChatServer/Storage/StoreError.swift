/// What a store refuses, in storage terms; `ServerError(_:)` says it to clients. Storage knows
/// nothing of HTTP statuses or wire codes.
public enum StoreError: Error, Sendable, Equatable {
    /// A unique key is taken (a username, a friend request between the same two users).
    case conflict(String)
    case notFound(String)
    /// The sender is not a participant of the room.
    case notAMember
    /// The caller may not change this (someone else's message).
    case forbidden(String)
    /// The row refers to something it may not (a reply to a message of another room).
    case invalidReference(String)
    /// The database holds something this version cannot use.
    case inconsistent(String)
}
