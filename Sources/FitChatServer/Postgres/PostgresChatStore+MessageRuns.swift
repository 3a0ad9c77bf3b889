import FitChatProtocol
import Foundation
import PostgresNIO

/// Messages on PostgreSQL go in runs: the consecutive messages of a batch are checked in one
/// statement and stored, with their `seq` and outbox rows, in another. A round trip costs
/// more than the work of a message, so a batch costs the same few whatever its size.
extension PostgresChatStore {
    /// The messages at the start of `writes` that can be checked together: a message that
    /// repeats an earlier one's client id or file must see that one stored, so it starts the
    /// next run. Empty when `writes` starts with something else.
    static func messageRun(_ writes: ArraySlice<RoomWrite>) -> [NewMessage] {
        var run: [NewMessage] = []
        var clientKeys: Set<ClientKey> = []
        var attachments: Set<AttachmentInfo.ID> = []
        for write in writes {
            guard case .message(let new) = write else { break }
            if let clientID = new.clientMessageID,
                !clientKeys.insert(ClientKey(roomID: new.roomID, senderID: new.senderID, clientID: clientID)).inserted
            {
                break
            }
            if let attachmentID = new.attachmentID, !attachments.insert(attachmentID).inserted { break }
            run.append(new)
        }
        return run
    }

    private struct ClientKey: Hashable {
        var roomID: RoomID
        var senderID: UserID
        var clientID: String
    }

    /// Checks a run, lets `RoomWritePlan` decide each message, and stores the ones it lets
    /// through; `locking` takes a transaction's room locks with the checks.
    func commitRun(_ run: [NewMessage], locking: RoomLocks?, on connection: PostgresConnection) async throws -> [Result<RoomCommit, StoreError>] {
        let plans = zip(run, try await messageFacts(run, locking: locking, on: connection)).map { RoomWritePlan.message($0, facts: $1) }
        let inserts = plans.compactMap { plan -> (new: NewMessage, id: MessageID)? in
            guard case .change(let change) = plan, case .insertMessage(let new, let id, _) = change.effect else { return nil }
            return (new, id)
        }
        let seqs = try await insertMessages(inserts, on: connection)
        return plans.map { plan in
            switch plan {
            case .settled(let outcome):
                return outcome
            case .change(let change):
                guard case .insertMessage(_, let id, _) = change.effect else { return .failure(.inconsistent("a message planned as a change")) }
                guard let seq = seqs[id] else { return .failure(change.roomGone) }
                return .success(change.committed(seq: seq))
            }
        }
    }

    /// What the rules need for every message of a run, in one round trip (plus one for the
    /// originals of repeated client ids, and one per file).
    func messageFacts(_ run: [NewMessage], locking: RoomLocks? = nil, on connection: PostgresConnection) async throws -> [MessageFacts] {
        let rows = try await connection.rows(MessageFactsStatement(MessageColumns(run), locking: locking ?? RoomLocks()), logger: logger)
        guard rows.count == run.count else { throw StoreError.inconsistent("\(rows.count) answers checking \(run.count) messages") }
        var facts: [MessageFacts] = []
        var originalIDs: [Int: MessageID] = [:]
        facts.reserveCapacity(run.count)
        for (index, (new, row)) in zip(run, rows).enumerated() {
            var fact = MessageFacts(
                senderIsMember: try row.value("member"), replyIsInRoom: try row.value("reply_in_room"),
                attachmentAlreadySent: try row.value("attachment_sent")
            )
            if fact.senderIsMember {
                originalIDs[index] = try row.value("original_id", as: MessageID?.self)
                if let attachmentID = new.attachmentID { fact.attachment = try await attachment(id: attachmentID, on: connection) }
            }
            facts.append(fact)
        }
        if !originalIDs.isEmpty {
            let originals = try await connection.query("""
                SELECT \(unescaped: Self.messageColumns) FROM messages m JOIN users u ON u.id = m.sender_id WHERE m.id = ANY(\(Array(originalIDs.values)))
                """, logger: logger).all().map { try Self.chatMessage($0, includeClientID: true) }
            let byID = Dictionary(originals.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            for (index, id) in originalIDs { facts[index].original = byID[id] }
        }
        return facts
    }

    /// Takes each room's next `seq`s (in the run's order), stores the messages and their
    /// outbox rows, and wakes the other nodes for when it commits; returns the `seq` of each
    /// message stored (none for a room that is gone).
    func insertMessages(_ inserts: [(new: NewMessage, id: MessageID)], on connection: PostgresConnection) async throws -> [MessageID: Int64] {
        guard !inserts.isEmpty else { return [:] }
        let rows = try await connection.rows(InsertMessagesStatement(ids: inserts.map(\.id), MessageColumns(inserts.map(\.new)), nodeID: nodeID), logger: logger)
        var seqs: [MessageID: Int64] = [:]
        for row in rows { seqs[try row.value("id")] = try row.value("seq") }
        return seqs
    }
}

/// A run's messages as the parallel arrays `unnest` reads; a missing reference is an empty
/// string (never a uuid) and a missing client id is told by `hasClientID`.
private struct MessageColumns {
    var roomIDs: [RoomID] = []
    var senderIDs: [UserID] = []
    var contents: [String] = []
    var messageTypes: [String] = []
    var replyToIDs: [String] = []
    var attachmentIDs: [String] = []
    var clientIDs: [String] = []
    var hasClientID: [Bool] = []
    var createdAt: [Int64] = []

    init(_ messages: [NewMessage]) {
        for new in messages {
            roomIDs.append(new.roomID)
            senderIDs.append(new.senderID)
            contents.append(new.content)
            messageTypes.append(new.messageType)
            replyToIDs.append(new.replyToID?.uuidString ?? "")
            attachmentIDs.append(new.attachmentID?.uuidString ?? "")
            clientIDs.append(new.clientMessageID ?? "")
            hasClientID.append(new.clientMessageID != nil)
            createdAt.append(new.createdAt.epochMilliseconds)
        }
    }
}

/// The checks of a run: membership, reply, file, and the id of the original of a repeated
/// client id; first, the room locks of the run's transaction, if it takes them here.
private struct MessageFactsStatement: PreparedRowsStatement {
    static let sql = """
        WITH locked AS MATERIALIZED (
            SELECT id FROM rooms WHERE id IN (SELECT unnest($7::uuid[]) UNION SELECT room_id FROM messages WHERE id = ANY($8::uuid[]))
            ORDER BY id FOR UPDATE
        ),
        run AS (
            SELECT room_id, sender_id, NULLIF(reply_to, '')::uuid AS reply_to_id, NULLIF(attachment, '')::uuid AS attachment_id,
                   CASE WHEN has_client_id THEN client_id END AS client_msg_id, n
            FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::bool[])
                 WITH ORDINALITY AS t(room_id, sender_id, reply_to, attachment, client_id, has_client_id, n)
        )
        SELECT (SELECT count(*) FROM locked) AS locked, run.n AS position,
               EXISTS (SELECT 1 FROM room_members rm WHERE rm.room_id = run.room_id AND rm.user_id = run.sender_id) AS member,
               (run.reply_to_id IS NULL
                OR EXISTS (SELECT 1 FROM messages r WHERE r.id = run.reply_to_id AND r.room_id = run.room_id)) AS reply_in_room,
               EXISTS (SELECT 1 FROM messages s WHERE s.attachment_id = run.attachment_id) AS attachment_sent,
               (SELECT o.id FROM messages o
                WHERE o.room_id = run.room_id AND o.sender_id = run.sender_id AND o.client_msg_id = run.client_msg_id) AS original_id
        FROM run
        ORDER BY run.n
        """

    var bindings = PostgresBindings()

    init(_ columns: MessageColumns, locking locks: RoomLocks) {
        bindings.append(columns.roomIDs)
        bindings.append(columns.senderIDs)
        bindings.append(columns.replyToIDs)
        bindings.append(columns.attachmentIDs)
        bindings.append(columns.clientIDs)
        bindings.append(columns.hasClientID)
        bindings.append(locks.rooms)
        bindings.append(locks.targets)
    }
}

/// A run's `seq`s, rows and outbox rows, and the wake-up of the other nodes, in one statement.
private struct InsertMessagesStatement: PreparedRowsStatement {
    static let sql = """
        WITH run AS (
            SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bool[],
                                 $9::bigint[], $10::text[])
                WITH ORDINALITY AS t(id, room_id, sender_id, content, message_type, reply_to, client_id, has_client_id, created_at, attachment, n)
        ),
        per_room AS (SELECT room_id, count(*) AS added FROM run GROUP BY room_id),
        bumped AS (
            UPDATE rooms SET last_seq = rooms.last_seq + per_room.added FROM per_room WHERE rooms.id = per_room.room_id
            RETURNING rooms.id AS room_id, rooms.last_seq - per_room.added AS base
        ),
        numbered AS (
            SELECT run.*, bumped.base + row_number() OVER (PARTITION BY run.room_id ORDER BY run.n) AS seq
            FROM run JOIN bumped ON bumped.room_id = run.room_id
        ),
        stored AS (
            INSERT INTO messages (id, room_id, seq, sender_id, content, message_type, reply_to_id, client_msg_id, created_at, attachment_id)
            SELECT id, room_id, seq, sender_id, content, message_type, NULLIF(reply_to, '')::uuid,
                   CASE WHEN has_client_id THEN client_id END, created_at, NULLIF(attachment, '')::uuid
            FROM numbered ORDER BY n
            RETURNING id, seq
        ),
        handed AS (
            INSERT INTO outbox (node_id, message_id, created_at)
            SELECT $11, id, \(PostgresSchema.now) FROM numbered ORDER BY n
            RETURNING id
        )
        SELECT stored.id, stored.seq,
               (SELECT count(*) FROM (SELECT pg_notify('\(PostgresCluster.channel)', '') FROM handed LIMIT 1) AS woken) AS woken
        FROM stored
        """

    var bindings = PostgresBindings()

    init(ids: [MessageID], _ columns: MessageColumns, nodeID: String) {
        bindings.append(ids)
        bindings.append(columns.roomIDs)
        bindings.append(columns.senderIDs)
        bindings.append(columns.contents)
        bindings.append(columns.messageTypes)
        bindings.append(columns.replyToIDs)
        bindings.append(columns.clientIDs)
        bindings.append(columns.hasClientID)
        bindings.append(columns.createdAt)
        bindings.append(columns.attachmentIDs)
        bindings.append(nodeID)
    }
}
