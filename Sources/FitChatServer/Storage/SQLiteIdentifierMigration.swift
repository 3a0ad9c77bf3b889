import FitChatProtocol
import GRDB

/// Migration v2: integer ids become UUIDs (16-byte BLOBs), in place, keeping every row.
///
/// SQLite cannot change a column's type, so this is its documented "new table, copy, drop,
/// rename" procedure, run by GRDB with foreign keys checked at the end. Every user, room,
/// message and friend request gets a fresh random id through a mapping table, and every
/// reference follows its map; seqs, read markers, replies and times are copied as they are.
/// Messages keep their old integer id as `row_key`, the key the full-text index refers to.
enum SQLiteIdentifierMigration {
    static func run(_ db: Database) throws {
        try db.execute(sql: """
            DROP TRIGGER messages_fts_insert;
            DROP TRIGGER messages_fts_delete;
            DROP TRIGGER messages_fts_update;
            DROP TABLE messages_fts;
            ALTER TABLE users RENAME TO users_v1;
            ALTER TABLE rooms RENAME TO rooms_v1;
            ALTER TABLE room_members RENAME TO room_members_v1;
            ALTER TABLE messages RENAME TO messages_v1;
            ALTER TABLE friend_requests RENAME TO friend_requests_v1;
            ALTER TABLE blocks RENAME TO blocks_v1;
            DROP INDEX room_members_by_user;
            DROP INDEX messages_by_client_id;
            DROP INDEX friend_requests_by_addressee;
            DROP INDEX friend_requests_by_requester;
            """)
        for table in ["users", "rooms", "messages", "friend_requests"] { try makeMap(for: table, in: db) }
        try db.execute(sql: schema)
        try db.execute(sql: """
            INSERT INTO users (id, username, display_name, password_hash, created_at, last_seen_at)
            SELECT map.new, u.username, u.display_name, u.password_hash, u.created_at, u.last_seen_at
            FROM users_v1 u JOIN users_map map ON map.old = u.id ORDER BY u.id;

            INSERT INTO rooms (id, kind, name, owner_id, direct_key, last_seq, created_at)
            SELECT map.new, r.kind, r.name, owner.new, r.direct_key, r.last_seq, r.created_at
            FROM rooms_v1 r JOIN rooms_map map ON map.old = r.id LEFT JOIN users_map owner ON owner.old = r.owner_id ORDER BY r.id;

            INSERT INTO room_members (room_id, user_id, joined_at, last_read_seq)
            SELECT room.new, member.new, m.joined_at, m.last_read_seq
            FROM room_members_v1 m JOIN rooms_map room ON room.old = m.room_id JOIN users_map member ON member.old = m.user_id;

            INSERT INTO messages (row_key, id, room_id, seq, sender_id, content, message_type, reply_to_id, client_msg_id, created_at, edited_at)
            SELECT m.id, map.new, room.new, m.seq, sender.new, m.content, m.message_type, reply.new, m.client_msg_id, m.created_at, m.edited_at
            FROM messages_v1 m JOIN messages_map map ON map.old = m.id JOIN rooms_map room ON room.old = m.room_id
            JOIN users_map sender ON sender.old = m.sender_id LEFT JOIN messages_map reply ON reply.old = m.reply_to_id
            ORDER BY m.id;

            INSERT INTO friend_requests (id, requester_id, addressee_id, status, pair_key, created_at, responded_at)
            SELECT map.new, requester.new, addressee.new, f.status, f.pair_key, f.created_at, f.responded_at
            FROM friend_requests_v1 f JOIN friend_requests_map map ON map.old = f.id
            JOIN users_map requester ON requester.old = f.requester_id JOIN users_map addressee ON addressee.old = f.addressee_id
            ORDER BY f.id;

            INSERT INTO blocks (blocker_id, blocked_id, created_at)
            SELECT blocker.new, blocked.new, b.created_at
            FROM blocks_v1 b JOIN users_map blocker ON blocker.old = b.blocker_id JOIN users_map blocked ON blocked.old = b.blocked_id;
            """)
        try rekeyPairs(in: db)
        try db.execute(sql: """
            DROP TABLE blocks_v1;
            DROP TABLE friend_requests_v1;
            DROP TABLE messages_v1;
            DROP TABLE room_members_v1;
            DROP TABLE rooms_v1;
            DROP TABLE users_v1;
            DROP TABLE users_map;
            DROP TABLE rooms_map;
            DROP TABLE messages_map;
            DROP TABLE friend_requests_map;
            INSERT INTO messages_fts(messages_fts) VALUES ('rebuild');
            """)
    }

    /// `TABLE_map(old, new)`: a fresh id for every row of the old table.
    private static func makeMap(for table: String, in db: Database) throws {
        try db.execute(sql: "CREATE TEMP TABLE \(table)_map (old INTEGER PRIMARY KEY, new BLOB NOT NULL UNIQUE)")
        let insert = try db.makeStatement(sql: "INSERT INTO \(table)_map (old, new) VALUES (?, ?)")
        let old = try Int64.fetchAll(db, sql: "SELECT id FROM \(table)_v1")
        for id in old { try insert.execute(arguments: [id, ChatID.random()]) }
    }

    /// Direct rooms and friendships are unique per pair under a key made of the two user ids,
    /// so the key is made again from the new ones.
    private static func rekeyPairs(in db: Database) throws {
        for (table, column) in [("rooms", "direct_key"), ("friend_requests", "pair_key")] {
            let rows = try Row.fetchAll(db, sql: """
                SELECT t.id, first.new AS first, second.new AS second FROM \(table) t
                JOIN users_map first ON first.old = CAST(substr(t.\(column), 1, instr(t.\(column), ':') - 1) AS INTEGER)
                JOIN users_map second ON second.old = CAST(substr(t.\(column), instr(t.\(column), ':') + 1) AS INTEGER)
                """)
            for row in rows {
                let (id, first, second): (ChatID, ChatID, ChatID) = (row["id"], row["first"], row["second"])
                try db.execute(sql: "UPDATE \(table) SET \(column) = ? WHERE id = ?", arguments: [pairKey(first, second), id])
            }
        }
    }

    /// The tables as of v2; `SQLiteSchema` never creates them any other way.
    static let schema = """
        CREATE TABLE users (
            id BLOB PRIMARY KEY NOT NULL,
            username TEXT NOT NULL UNIQUE COLLATE NOCASE,
            display_name TEXT,
            password_hash TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            last_seen_at INTEGER
        );
        CREATE TABLE rooms (
            id BLOB PRIMARY KEY NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('direct', 'group')),
            name TEXT,
            owner_id BLOB REFERENCES users(id),
            direct_key TEXT UNIQUE,
            last_seq INTEGER NOT NULL DEFAULT 0,
            created_at INTEGER NOT NULL
        );
        CREATE TABLE room_members (
            room_id BLOB NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
            user_id BLOB NOT NULL REFERENCES users(id),
            joined_at INTEGER NOT NULL,
            last_read_seq INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (room_id, user_id)
        ) WITHOUT ROWID;
        CREATE INDEX room_members_by_user ON room_members(user_id, room_id);
        CREATE TABLE messages (
            row_key INTEGER PRIMARY KEY,
            id BLOB NOT NULL UNIQUE,
            room_id BLOB NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
            seq INTEGER NOT NULL,
            sender_id BLOB NOT NULL REFERENCES users(id),
            content TEXT NOT NULL,
            message_type TEXT NOT NULL DEFAULT 'text',
            reply_to_id BLOB,
            client_msg_id TEXT,
            created_at INTEGER NOT NULL,
            edited_at INTEGER,
            UNIQUE (room_id, seq)
        );
        CREATE UNIQUE INDEX messages_by_client_id ON messages(room_id, sender_id, client_msg_id)
            WHERE client_msg_id IS NOT NULL;
        CREATE TABLE friend_requests (
            id BLOB PRIMARY KEY NOT NULL,
            requester_id BLOB NOT NULL REFERENCES users(id),
            addressee_id BLOB NOT NULL REFERENCES users(id),
            status TEXT NOT NULL CHECK (status IN ('pending', 'accepted')),
            pair_key TEXT NOT NULL UNIQUE,
            created_at INTEGER NOT NULL,
            responded_at INTEGER
        );
        CREATE INDEX friend_requests_by_addressee ON friend_requests(addressee_id);
        CREATE INDEX friend_requests_by_requester ON friend_requests(requester_id);
        CREATE TABLE blocks (
            blocker_id BLOB NOT NULL REFERENCES users(id),
            blocked_id BLOB NOT NULL REFERENCES users(id),
            created_at INTEGER NOT NULL,
            PRIMARY KEY (blocker_id, blocked_id)
        ) WITHOUT ROWID;
        CREATE VIRTUAL TABLE messages_fts USING fts5(
            content, content='messages', content_rowid='row_key', tokenize='unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
            INSERT INTO messages_fts(rowid, content) VALUES (new.row_key, new.content);
        END;
        CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
            INSERT INTO messages_fts(messages_fts, rowid, content) VALUES ('delete', old.row_key, old.content);
        END;
        CREATE TRIGGER messages_fts_update AFTER UPDATE OF content ON messages BEGIN
            INSERT INTO messages_fts(messages_fts, rowid, content) VALUES ('delete', old.row_key, old.content);
            INSERT INTO messages_fts(rowid, content) VALUES (new.row_key, new.content);
        END;
        """
}
