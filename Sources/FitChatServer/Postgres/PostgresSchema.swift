import Logging
import PostgresNIO

/// The PostgreSQL schema, as numbered migrations: never edit a shipped one, add the next.
/// The same tables as SQLite, plus what several nodes share: `nodes`, `presence`, `outbox`.
enum PostgresSchema {
    static let migrations: [(version: Int, statements: [PostgresQuery])] = [
        (1, [
            """
            CREATE TABLE users (
                id BIGSERIAL PRIMARY KEY,
                username TEXT NOT NULL,
                display_name TEXT,
                password_hash TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                last_seen_at BIGINT
            )
            """,
            "CREATE UNIQUE INDEX users_by_username ON users (lower(username))",
            """
            CREATE TABLE rooms (
                id BIGSERIAL PRIMARY KEY,
                kind TEXT NOT NULL CHECK (kind IN ('direct', 'group')),
                name TEXT,
                owner_id BIGINT REFERENCES users(id),
                direct_key TEXT UNIQUE,
                last_seq BIGINT NOT NULL DEFAULT 0,
                created_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE room_members (
                room_id BIGINT NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
                user_id BIGINT NOT NULL REFERENCES users(id),
                joined_at BIGINT NOT NULL,
                last_read_seq BIGINT NOT NULL DEFAULT 0,
                PRIMARY KEY (room_id, user_id)
            )
            """,
            "CREATE INDEX room_members_by_user ON room_members (user_id, room_id)",
            """
            CREATE TABLE messages (
                id BIGSERIAL PRIMARY KEY,
                room_id BIGINT NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
                seq BIGINT NOT NULL,
                sender_id BIGINT NOT NULL REFERENCES users(id),
                content TEXT NOT NULL,
                message_type TEXT NOT NULL DEFAULT 'text',
                reply_to_id BIGINT,
                client_msg_id TEXT,
                created_at BIGINT NOT NULL,
                edited_at BIGINT,
                search tsvector GENERATED ALWAYS AS (to_tsvector('simple', content)) STORED,
                UNIQUE (room_id, seq)
            )
            """,
            """
            CREATE UNIQUE INDEX messages_by_client_id ON messages (room_id, sender_id, client_msg_id)
                WHERE client_msg_id IS NOT NULL
            """,
            "CREATE INDEX messages_search ON messages USING GIN (search)",
            """
            CREATE TABLE friend_requests (
                id BIGSERIAL PRIMARY KEY,
                requester_id BIGINT NOT NULL REFERENCES users(id),
                addressee_id BIGINT NOT NULL REFERENCES users(id),
                status TEXT NOT NULL CHECK (status IN ('pending', 'accepted')),
                pair_key TEXT NOT NULL UNIQUE,
                created_at BIGINT NOT NULL,
                responded_at BIGINT
            )
            """,
            "CREATE INDEX friend_requests_by_addressee ON friend_requests (addressee_id)",
            "CREATE INDEX friend_requests_by_requester ON friend_requests (requester_id)",
            """
            CREATE TABLE blocks (
                blocker_id BIGINT NOT NULL REFERENCES users(id),
                blocked_id BIGINT NOT NULL REFERENCES users(id),
                created_at BIGINT NOT NULL,
                PRIMARY KEY (blocker_id, blocked_id)
            )
            """,
            "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
            "CREATE TABLE nodes (id TEXT PRIMARY KEY, heartbeat_at BIGINT NOT NULL)",
            "CREATE TABLE presence (node_id TEXT NOT NULL, user_id BIGINT NOT NULL, PRIMARY KEY (node_id, user_id))",
            "CREATE INDEX presence_by_user ON presence (user_id)",
            """
            CREATE TABLE outbox (
                id BIGSERIAL PRIMARY KEY,
                node_id TEXT NOT NULL,
                message_id BIGINT,
                payload TEXT,
                created_at BIGINT NOT NULL
            )
            """,
        ]),
        (2, PostgresIdentifierMigration.statements),
        (3, [
            "CREATE TABLE revoked_tokens (token_hash TEXT PRIMARY KEY, expires_at BIGINT NOT NULL)",
            "CREATE INDEX revoked_tokens_by_expiry ON revoked_tokens (expires_at)",
        ]),
        (4, [
            "ALTER TABLE users ADD COLUMN is_hook BOOLEAN NOT NULL DEFAULT false",
            """
            CREATE TABLE webhooks (
                id uuid PRIMARY KEY,
                room_id uuid NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
                user_id uuid NOT NULL REFERENCES users(id),
                name TEXT NOT NULL,
                secret_hash TEXT NOT NULL UNIQUE,
                creator_id uuid NOT NULL REFERENCES users(id),
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX webhooks_by_room ON webhooks (room_id)",
        ]),
        (5, [
            "ALTER TABLE messages ADD COLUMN deleted_at BIGINT",
            """
            CREATE TABLE room_events (
                room_id uuid NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
                seq BIGINT NOT NULL,
                kind TEXT NOT NULL CHECK (kind IN ('edited', 'deleted', 'reaction')),
                message_id uuid NOT NULL,
                user_id uuid NOT NULL,
                emoji TEXT,
                reaction_on BOOLEAN,
                created_at BIGINT NOT NULL,
                PRIMARY KEY (room_id, seq)
            )
            """,
            """
            CREATE TABLE reactions (
                message_id uuid NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
                emoji TEXT NOT NULL,
                user_id uuid NOT NULL REFERENCES users(id),
                created_at BIGINT NOT NULL,
                PRIMARY KEY (message_id, emoji, user_id)
            )
            """,
        ]),
        (6, [
            """
            CREATE TABLE attachments (
                id uuid PRIMARY KEY,
                room_id uuid NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
                uploader_id uuid NOT NULL REFERENCES users(id),
                filename TEXT NOT NULL,
                content_type TEXT NOT NULL,
                chunk_size INT NOT NULL,
                size BIGINT NOT NULL DEFAULT 0,
                sha256 TEXT,
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX attachments_by_created ON attachments (created_at)",
            """
            CREATE TABLE attachment_chunks (
                attachment_id uuid NOT NULL REFERENCES attachments(id) ON DELETE CASCADE,
                chunk INT NOT NULL,
                bytes BYTEA NOT NULL,
                PRIMARY KEY (attachment_id, chunk)
            )
            """,
            "ALTER TABLE messages ADD COLUMN attachment_id uuid REFERENCES attachments(id) ON DELETE SET NULL",
            "CREATE UNIQUE INDEX messages_by_attachment ON messages (attachment_id) WHERE attachment_id IS NOT NULL",
        ]),
        // Outbox rows carry the id of the transaction that wrote them: readers go by transaction
        // id up to the oldest one still running, so writers need no lock to keep ids in commit
        // order (`OutboxPosition`). Older nodes read by id under the lock: upgrade all at once.
        (7, [
            "ALTER TABLE outbox ADD COLUMN tx BIGINT NOT NULL DEFAULT (pg_current_xact_id()::text::bigint)",
            "CREATE INDEX outbox_by_tx ON outbox (tx, id)",
            "CREATE INDEX outbox_by_created ON outbox (created_at)",
        ]),
    ]

    /// The database's clock in epoch milliseconds: every node's heartbeat is judged by one clock.
    static let now = "(extract(epoch FROM clock_timestamp()) * 1000)::bigint"

    /// Key of the transaction-scoped advisory lock that orders migrations.
    static let migrationLock: Int64 = 0x6669_7463_6861_7401
    /// First key of the advisory locks that order one user's presence changes across nodes
    /// (the second key is a hash of the user id).
    static let presenceLockSpace: Int32 = 0x6663_7001

    /// Brings the database up to date (or up to `version`); safe when several nodes start at once.
    static func migrate(_ client: PostgresClient, logger: Logger, upTo version: Int = .max) async throws {
        try await client.withTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(migrationLock))", logger: logger)
            try await connection.query(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
                logger: logger
            )
            var applied: Set<Int> = []
            for try await version in try await connection.query("SELECT version FROM schema_migrations", logger: logger).decode(Int.self) {
                applied.insert(version)
            }
            for migration in migrations where !applied.contains(migration.version) && migration.version <= version {
                for statement in migration.statements { try await connection.query(statement, logger: logger) }
                try await connection.query("INSERT INTO schema_migrations (version) VALUES (\(migration.version))", logger: logger)
            }
        }
    }
}
