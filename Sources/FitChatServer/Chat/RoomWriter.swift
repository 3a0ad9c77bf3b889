import FitChatProtocol

/// Where the rules hand a change to a room. It returns once the change is committed and its
/// subscribers have it, so an acknowledgement never runs ahead of the commit.
protocol RoomWriter: Sendable {
    func commit(_ write: RoomWrite, originConnectionID: UInt64?) async throws -> RoomCommit
    /// A connection's consecutive writes, in order, in one group commit; outcomes in order.
    func commit(_ writes: [RoomWrite], originConnectionID: UInt64?) async -> [Result<RoomCommit, any Error>]
    /// A connection's consecutive writes, queued without waiting, in one group commit: `done`
    /// gets each write's outcome (by index, in order) once it is committed and published.
    func submit(_ writes: [RoomWrite], originConnectionID: UInt64?, done: @escaping @Sendable (Int, Result<RoomCommit, any Error>) -> Void)
}

extension RoomWriter {
    /// A message: stored, or the original of a repeated `client_msg_id`.
    func append(_ message: NewMessage, originConnectionID: UInt64?) async throws -> AppendOutcome {
        try await commit(.message(message), originConnectionID: originConnectionID).messageOutcome()
    }
}

extension RoomCommit {
    /// What a message write came to; any other kind of commit for one is a bug, answered as an
    /// internal error.
    func messageOutcome() throws -> AppendOutcome {
        guard case .message(let outcome) = self else { throw ServerError.internalError }
        return outcome
    }
}

/// A node's writer is its group commit.
extension MessagePipeline: RoomWriter {}
