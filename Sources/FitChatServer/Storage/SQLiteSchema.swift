import GRDB

/// The SQLite schema, as migrations from the first release on: never edit a shipped one, add the next.
enum SQLiteSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: users, rooms, messages, social") { db in
            try db.execute(sql: """
                CREATE TABLE users (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    username TEXT NOT NULL UNIQUE COLLATE NOCASE,
                    display_name TEXT,
                    password_hash TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    last_seen_at INTEGER
                );
                CREATE TABLE rooms (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    kind TEXT NOT NULL CHECK (kind IN ('direct', 'group')),
                    name TEXT,
                    owner_id INTEGER REFERENCES users(id),
                    direct_key TEXT UNIQUE,
                    last_seq INTEGER NOT NULL DEFAULT 0,
                    created_at INTEGER NOT NULL
                );
                CREATE TABLE room_members (
                    room_id INTEGER NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
                    user_id INTEGER NOT NULL REFERENCES users(id),
                    joined_at INTEGER NOT NULL,
                    last_read_seq INTEGER NOT NULL DEFAULT 0,
                    PRIMARY KEY (room_id, user_id)
                ) WITHOUT ROWID;
                CREATE INDEX room_members_by_user ON room_members(user_id, room_id);
                CREATE TABLE messages (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    room_id INTEGER NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
                    seq INTEGER NOT NULL,
                    sender_id INTEGER NOT NULL REFERENCES users(id),
                    content TEXT NOT NULL,
                    message_type TEXT NOT NULL DEFAULT 'text',
                    reply_to_id INTEGER,
                    client_msg_id TEXT,
                    created_at INTEGER NOT NULL,
                    edited_at INTEGER,
                    UNIQUE (room_id, seq)
                );
                CREATE UNIQUE INDEX messages_by_client_id ON messages(room_id, sender_id, client_msg_id)
                    WHERE client_msg_id IS NOT NULL;
                CREATE TABLE friend_requests (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    requester_id INTEGER NOT NULL REFERENCES users(id),
                    addressee_id INTEGER NOT NULL REFERENCES users(id),
                    status TEXT NOT NULL CHECK (status IN ('pending', 'accepted')),
                    pair_key TEXT NOT NULL UNIQUE,
                    created_at INTEGER NOT NULL,
                    responded_at INTEGER
                );
                CREATE INDEX friend_requests_by_addressee ON friend_requests(addressee_id);
                CREATE INDEX friend_requests_by_requester ON friend_requests(requester_id);
                CREATE TABLE blocks (
                    blocker_id INTEGER NOT NULL REFERENCES users(id),
                    blocked_id INTEGER NOT NULL REFERENCES users(id),
                    created_at INTEGER NOT NULL,
                    PRIMARY KEY (blocker_id, blocked_id)
                ) WITHOUT ROWID;
                CREATE VIRTUAL TABLE messages_fts USING fts5(
                    content, content='messages', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
                );
                CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
                    INSERT INTO messages_fts(rowid, content) VALUES (new.id, new.content);
                END;
                CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
                    INSERT INTO messages_fts(messages_fts, rowid, content) VALUES ('delete', old.id, old.content);
                END;
                CREATE TRIGGER messages_fts_update AFTER UPDATE OF content ON messages BEGIN
                    INSERT INTO messages_fts(messages_fts, rowid, content) VALUES ('delete', old.id, old.content);
                    INSERT INTO messages_fts(rowid, content) VALUES (new.id, new.content);
                END;
                """)
        }
        migrator.registerMigration("v2: UUID ids") { db in
            try SQLiteIdentifierMigration.run(db)
        }
        migrator.registerMigration("v3: revoked tokens") { db in
            try db.execute(sql: """
                CREATE TABLE revoked_tokens (token_hash TEXT PRIMARY KEY NOT NULL, expires_at INTEGER NOT NULL) WITHOUT ROWID;
                CREATE INDEX revoked_tokens_by_expiry ON revoked_tokens(expires_at);
                """)
        }
        migrator.registerMigration("v4: incoming webhooks") { db in
            try db.execute(sql: """
                ALTER TABLE users ADD COLUMN is_hook INTEGER NOT NULL DEFAULT 0;
                CREATE TABLE webhooks (
                    id BLOB PRIMARY KEY NOT NULL,
                    room_id BLOB NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
                    user_id BLOB NOT NULL REFERENCES users(id),
                    name TEXT NOT NULL,
                    secret_hash TEXT NOT NULL UNIQUE,
                    creator_id BLOB NOT NULL REFERENCES users(id),
                    created_at INTEGER NOT NULL
                );
                CREATE INDEX webhooks_by_room ON webhooks(room_id);
                """)
        }
        migrator.registerMigration("v5: the room log (edits, deletions, reactions)") { db in
            try db.execute(sql: """
                ALTER TABLE messages ADD COLUMN deleted_at INTEGER;
                CREATE TABLE room_events (
                    room_id BLOB NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
                    seq INTEGER NOT NULL,
                    kind TEXT NOT NULL CHECK (kind IN ('edited', 'deleted', 'reaction')),
                    message_id BLOB NOT NULL,
                    user_id BLOB NOT NULL,
                    emoji TEXT,
                    reaction_on INTEGER,
                    created_at INTEGER NOT NULL,
                    PRIMARY KEY (room_id, seq)
                ) WITHOUT ROWID;
                CREATE TABLE reactions (
                    message_id BLOB NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
                    emoji TEXT NOT NULL,
                    user_id BLOB NOT NULL REFERENCES users(id),
                    created_at INTEGER NOT NULL,
                    PRIMARY KEY (message_id, emoji, user_id)
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v6: attachments") { db in
            try db.execute(sql: """
                CREATE TABLE attachments (
                    id BLOB PRIMARY KEY NOT NULL,
                    room_id BLOB NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
                    uploader_id BLOB NOT NULL REFERENCES users(id),
                    filename TEXT NOT NULL,
                    content_type TEXT NOT NULL,
                    chunk_size INTEGER NOT NULL,
                    size INTEGER NOT NULL DEFAULT 0,
                    sha256 TEXT,
                    created_at INTEGER NOT NULL
                );
                CREATE INDEX attachments_by_created ON attachments(created_at);
                CREATE TABLE attachment_chunks (
                    attachment_id BLOB NOT NULL REFERENCES attachments(id) ON DELETE CASCADE,
                    chunk INTEGER NOT NULL,
                    bytes BLOB NOT NULL,
                    PRIMARY KEY (attachment_id, chunk)
                );
                ALTER TABLE messages ADD COLUMN attachment_id BLOB REFERENCES attachments(id) ON DELETE SET NULL;
                CREATE UNIQUE INDEX messages_by_attachment ON messages(attachment_id) WHERE attachment_id IS NOT NULL;
                """)
        }
        migrator.registerMigration("v7: search indexed between commits") { db in
            // A message is indexed after its commit (`SQLiteChatStore.indexForSearch`). The index holds the
            // rows up to `indexed_through` (in `row_key` order); triggers keep those rows' entries
            // right, and leave later rows to the indexer, which reads their content as it is then.
            // A deleted row's key can be taken again (a rowid is one past the largest): when the
            // largest rows go, the mark comes down with them so that a new row above it is indexed.
            try db.execute(sql: """
                CREATE TABLE search_progress (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    indexed_through INTEGER NOT NULL
                );
                INSERT INTO search_progress (id, indexed_through) VALUES (1, (SELECT COALESCE(MAX(row_key), 0) FROM messages));
                DROP TRIGGER messages_fts_insert;
                DROP TRIGGER messages_fts_delete;
                DROP TRIGGER messages_fts_update;
                CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
                    INSERT INTO messages_fts(messages_fts, rowid, content)
                        SELECT 'delete', old.row_key, old.content WHERE old.row_key <= (SELECT indexed_through FROM search_progress);
                    UPDATE search_progress SET indexed_through = (SELECT COALESCE(MAX(row_key), 0) FROM messages)
                        WHERE indexed_through > (SELECT COALESCE(MAX(row_key), 0) FROM messages);
                END;
                CREATE TRIGGER messages_fts_update AFTER UPDATE OF content ON messages BEGIN
                    INSERT INTO messages_fts(messages_fts, rowid, content)
                        SELECT 'delete', old.row_key, old.content WHERE old.row_key <= (SELECT indexed_through FROM search_progress);
                    INSERT INTO messages_fts(rowid, content)
                        SELECT new.row_key, new.content WHERE new.row_key <= (SELECT indexed_through FROM search_progress);
                END;
                """)
        }
        migrator.registerMigration("v8: a room's last seq read from its log") { db in
            // Every change that takes a `seq` leaves a row with it (`messages` or `room_events`):
            // the counter cost each message a write to the room's row, a page in the log.
            try db.execute(sql: "ALTER TABLE rooms DROP COLUMN last_seq")
        }
        return migrator
    }
}
