import FitChatProtocol
import Foundation

/// A send as it arrives from REST or WebSocket, before validation.
struct SendRequest: Sendable {
    var roomID: RoomID
    var content: String
    var messageType: String?
    var replyToID: MessageID?
    var clientMessageID: String?
    var attachmentID: AttachmentInfo.ID? = nil
}

extension ChatService {
    /// Validates, rate-limits and stores a message; returns once it is committed and published.
    /// A repeated `client_msg_id` returns the original without storing or publishing again.
    func send(_ request: SendRequest, from caller: AuthenticatedUser, connectionID: UInt64?) async throws -> AppendOutcome {
        let outcome = try await writer.append(try await prepare(request, from: caller), originConnectionID: connectionID)
        if case .stored = outcome { stopTyping(roomID: request.roomID, user: caller) }
        return outcome
    }

    /// A connection's consecutive sends: each checked as `send` checks it, in order, then all
    /// that passed stored in one group commit. Outcomes in the order of the requests.
    func send(_ requests: [SendRequest], from caller: AuthenticatedUser, connectionID: UInt64?) async -> [Result<AppendOutcome, any Error>] {
        var prepared: [Result<NewMessage, any Error>] = []
        for request in requests {
            do {
                prepared.append(.success(try await prepare(request, from: caller)))
            } catch {
                prepared.append(.failure(error))
            }
        }
        let writes = prepared.compactMap { try? RoomWrite.message($0.get()) }
        var committed = await writer.commit(writes, originConnectionID: connectionID).makeIterator()
        var typingStopped: Set<RoomID> = []
        return prepared.map { preparation in
            switch preparation {
            case .failure(let refusal):
                return .failure(refusal)
            case .success(let new):
                let outcome = (committed.next() ?? .failure(ServerError.internalError)).flatMap { commit in Result { try commit.messageOutcome() } }
                if case .success(.stored) = outcome, typingStopped.insert(new.roomID).inserted { stopTyping(roomID: new.roomID, user: caller) }
                return outcome
            }
        }
    }

    /// The checks of a send that need no store (content, type, client id, the rate), made at
    /// once for a caller that does not wait; nil, having checked and charged nothing, when the
    /// sender blocks or is blocked by anyone: only the store can say whether that concerns the room.
    func checkAtOnce(_ request: SendRequest, from caller: AuthenticatedUser) throws -> NewMessage? {
        guard blocks.blocked(by: caller.id).isEmpty, blocks.blockers(of: caller.id).isEmpty else { return nil }
        let new = try checkedMessage(request, from: caller)
        try sendLimiter.acquire(for: caller.id)
        return new
    }

    /// Stores messages `checkAtOnce` passed, without waiting, in one group commit: `done` gets
    /// each outcome (by index, in order) on the commit thread, after the fan-out.
    func submit(
        _ messages: [NewMessage], from caller: AuthenticatedUser, connectionID: UInt64?,
        done: @escaping @Sendable (Int, Result<AppendOutcome, any Error>) -> Void
    ) {
        writer.submit(messages.map(RoomWrite.message), originConnectionID: connectionID) { index, result in
            let outcome = result.flatMap { commit in Result { try commit.messageOutcome() } }
            if case .success(.stored) = outcome { self.stopTyping(roomID: messages[index].roomID, user: caller) }
            done(index, outcome)
        }
    }

    /// What a send must pass before it is written: content, type, client id, blocks, the rate.
    private func prepare(_ request: SendRequest, from caller: AuthenticatedUser) async throws -> NewMessage {
        let new = try checkedMessage(request, from: caller)
        try await checkDirectRoomBlocks(request.roomID, sender: caller.id)
        try sendLimiter.acquire(for: caller.id)
        return new
    }

    private func checkedMessage(_ request: SendRequest, from caller: AuthenticatedUser) throws -> NewMessage {
        let hasAttachment = request.attachmentID != nil
        // A file needs no caption.
        let content = hasAttachment && request.content.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
            ? "" : try Validation.content(request.content, maxLength: limits.maxContentLength)
        let messageType = try Validation.attachedMessageType(request.messageType, hasAttachment: hasAttachment)
        let clientMessageID = try Validation.clientMessageID(request.clientMessageID)
        return NewMessage(
            roomID: request.roomID, senderID: caller.id, senderUsername: caller.username, content: content,
            messageType: messageType, replyToID: request.replyToID, clientMessageID: clientMessageID, createdAt: Date(),
            attachmentID: request.attachmentID
        )
    }

    /// In a direct room a block silences the pair: refuse rather than store what nobody will see.
    private func checkDirectRoomBlocks(_ roomID: RoomID, sender: UserID) async throws {
        let blockedBySender = blocks.blocked(by: sender)
        let blockers = blocks.blockers(of: sender)
        guard !blockedBySender.isEmpty || !blockers.isEmpty else { return }
        guard let room = try await store.room(id: roomID), room.kind == .direct else { return }
        let peers = Set(try await store.memberIDs(of: roomID)).subtracting([sender])
        if !peers.isDisjoint(with: blockers) { throw ServerError.blocked }
        if !peers.isDisjoint(with: blockedBySender) { throw ServerError.forbidden("you have blocked this user; unblock them first") }
    }

    func history(_ roomID: RoomID, caller: AuthenticatedUser, beforeSeq: Int64?, afterSeq: Int64?, limit: Int?) async throws -> [ChatMessage] {
        let limit = limit ?? 50
        guard (1...limits.historyPageLimit).contains(limit) else { throw ServerError.invalid("limit must be 1 to \(limits.historyPageLimit)") }
        _ = try await requireMembership(caller.id, in: roomID)
        return try await store.messages(in: roomID, afterSeq: afterSeq, beforeSeq: beforeSeq, limit: limit, hiddenSenders: blocks.blocked(by: caller.id))
    }

    /// `message_read` over WebSocket: those messages (and everything before them) are read.
    @discardableResult
    func markRead(_ roomID: RoomID, messageIDs: [MessageID], caller: AuthenticatedUser) async throws -> Int64 {
        guard (1...500).contains(messageIDs.count) else { throw ServerError.invalid("message_ids must hold 1 to 500 ids") }
        _ = try await requireMembership(caller.id, in: roomID)
        let messages = try await store.messages(ids: messageIDs, in: roomID)
        guard let last = messages.last else { throw ServerError.notFound("none of message_ids is a message of this room") }
        let marker = try await store.markRead(roomID: roomID, userID: caller.id, upToSeq: last.seq)
        publishReceipt(messages.filter { $0.senderID != caller.id }.map(\.id), roomID: roomID, reader: caller.id)
        return marker.current
    }

    /// `POST /api/rooms/{id}/read`: up to a `seq` (default: everything), or the listed messages.
    func markRead(_ roomID: RoomID, _ request: MarkReadRequest, caller: AuthenticatedUser) async throws -> ReadState {
        let hidden = blocks.blocked(by: caller.id)
        let current: Int64
        if let ids = request.messageIDs {
            current = try await markRead(roomID, messageIDs: ids, caller: caller)
        } else {
            let room = try await requireMembership(caller.id, in: roomID)
            let target = min(request.upToSeq ?? room.lastSeq, room.lastSeq)
            guard target >= 0 else { throw ServerError.invalid("up_to_seq must not be negative") }
            let marker = try await store.markRead(roomID: roomID, userID: caller.id, upToSeq: target)
            if marker.current > marker.previous {
                let newlyRead = try await store.messages(
                    in: roomID, afterSeq: marker.previous, beforeSeq: marker.current + 1, limit: 500, hiddenSenders: hidden
                )
                publishReceipt(newlyRead.filter { $0.senderID != caller.id }.map(\.id), roomID: roomID, reader: caller.id)
            }
            current = marker.current
        }
        let unread = try await store.unreadCount(roomID: roomID, userID: caller.id, hiddenSenders: hidden)
        return ReadState(roomID: roomID, lastReadSeq: current, unreadCount: unread)
    }

    private func publishReceipt(_ messageIDs: [MessageID], roomID: RoomID, reader: UserID) {
        guard !messageIDs.isEmpty else { return }
        fanOut.roomEvent(.messageReadReceipt(MessageReceipt(roomID: roomID, userID: reader, messageIDs: messageIDs)), in: roomID, actor: reader)
    }

    /// Full-text (`q`), or by the beginning of an id (`id_prefix`), over the caller's rooms.
    func searchMessages(_ query: String?, idPrefix: String?, roomID: RoomID?, caller: AuthenticatedUser) async throws -> [ChatMessage] {
        let hidden = blocks.blocked(by: caller.id)
        if let idPrefix {
            let prefix = try Validation.idPrefix(idPrefix)
            if let roomID { _ = try await requireMembership(caller.id, in: roomID) }
            return try await store.messages(idPrefix: prefix, visibleTo: caller.id, roomID: roomID, hiddenSenders: hidden, limit: 50)
        }
        let query = query ?? ""
        guard FullTextQuery(query).fts5 != nil else { throw ServerError.invalid("q must contain a word") }
        if let roomID { _ = try await requireMembership(caller.id, in: roomID) }
        return try await store.searchMessages(query, visibleTo: caller.id, roomID: roomID, hiddenSenders: hidden, limit: 100)
    }
}
