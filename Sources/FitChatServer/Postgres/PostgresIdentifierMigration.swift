import PostgresNIO

/// Migration 2: integer ids become native `uuid`s, in place, keeping every row.
///
/// Each table first gets its new id (`gen_random_uuid()`, version 4, evaluated per row), then
/// every reference is looked up through the table it points to, and only then are the old
/// columns dropped (with the keys and indexes built on them) and the new ones take their names
/// and constraints. Direct-room and friendship pair keys are made again from the new ids. What
/// only running nodes need (outbox, presence, node heartbeats) is emptied: every node stops for
/// an upgrade, and the outbox's payloads still carry integer ids.
enum PostgresIdentifierMigration {
    static let statements: [PostgresQuery] = [
        "DELETE FROM outbox",
        "DELETE FROM presence",
        "DELETE FROM nodes",
        "ALTER TABLE outbox ALTER COLUMN message_id TYPE uuid USING NULL",
        "ALTER TABLE presence ALTER COLUMN user_id TYPE uuid USING NULL",

        "ALTER TABLE users ADD COLUMN uid uuid NOT NULL DEFAULT gen_random_uuid()",
        "ALTER TABLE rooms ADD COLUMN uid uuid NOT NULL DEFAULT gen_random_uuid(), ADD COLUMN owner_uid uuid",
        "ALTER TABLE messages ADD COLUMN uid uuid NOT NULL DEFAULT gen_random_uuid(), ADD COLUMN room_uid uuid, ADD COLUMN sender_uid uuid, ADD COLUMN reply_to_uid uuid",
        "ALTER TABLE friend_requests ADD COLUMN uid uuid NOT NULL DEFAULT gen_random_uuid(), ADD COLUMN requester_uid uuid, ADD COLUMN addressee_uid uuid",
        "ALTER TABLE room_members ADD COLUMN room_uid uuid, ADD COLUMN user_uid uuid",
        "ALTER TABLE blocks ADD COLUMN blocker_uid uuid, ADD COLUMN blocked_uid uuid",

        "UPDATE rooms r SET owner_uid = u.uid FROM users u WHERE u.id = r.owner_id",
        "UPDATE messages m SET room_uid = r.uid FROM rooms r WHERE r.id = m.room_id",
        "UPDATE messages m SET sender_uid = u.uid FROM users u WHERE u.id = m.sender_id",
        "UPDATE messages m SET reply_to_uid = o.uid FROM messages o WHERE o.id = m.reply_to_id",
        "UPDATE friend_requests f SET requester_uid = a.uid, addressee_uid = b.uid FROM users a, users b WHERE a.id = f.requester_id AND b.id = f.addressee_id",
        "UPDATE room_members m SET room_uid = r.uid, user_uid = u.uid FROM rooms r, users u WHERE r.id = m.room_id AND u.id = m.user_id",
        "UPDATE blocks b SET blocker_uid = a.uid, blocked_uid = c.uid FROM users a, users c WHERE a.id = b.blocker_id AND c.id = b.blocked_id",
        """
        UPDATE rooms r SET direct_key = least(a.uid::text, b.uid::text) || ':' || greatest(a.uid::text, b.uid::text)
        FROM users a, users b
        WHERE r.direct_key IS NOT NULL
          AND a.id = split_part(r.direct_key, ':', 1)::bigint AND b.id = split_part(r.direct_key, ':', 2)::bigint
        """,
        "UPDATE friend_requests SET pair_key = least(requester_uid::text, addressee_uid::text) || ':' || greatest(requester_uid::text, addressee_uid::text)",

        "ALTER TABLE room_members DROP COLUMN room_id CASCADE, DROP COLUMN user_id CASCADE",
        "ALTER TABLE blocks DROP COLUMN blocker_id CASCADE, DROP COLUMN blocked_id CASCADE",
        "ALTER TABLE friend_requests DROP COLUMN id CASCADE, DROP COLUMN requester_id CASCADE, DROP COLUMN addressee_id CASCADE",
        "ALTER TABLE messages DROP COLUMN id CASCADE, DROP COLUMN room_id CASCADE, DROP COLUMN sender_id CASCADE, DROP COLUMN reply_to_id CASCADE",
        "ALTER TABLE rooms DROP COLUMN id CASCADE, DROP COLUMN owner_id CASCADE",
        "ALTER TABLE users DROP COLUMN id CASCADE",

        "ALTER TABLE users RENAME COLUMN uid TO id",
        "ALTER TABLE users ALTER COLUMN id DROP DEFAULT, ADD PRIMARY KEY (id)",
        "ALTER TABLE rooms RENAME COLUMN uid TO id",
        "ALTER TABLE rooms RENAME COLUMN owner_uid TO owner_id",
        "ALTER TABLE rooms ALTER COLUMN id DROP DEFAULT, ADD PRIMARY KEY (id), ADD FOREIGN KEY (owner_id) REFERENCES users(id)",
        "ALTER TABLE room_members RENAME COLUMN room_uid TO room_id",
        "ALTER TABLE room_members RENAME COLUMN user_uid TO user_id",
        """
        ALTER TABLE room_members ALTER COLUMN room_id SET NOT NULL, ALTER COLUMN user_id SET NOT NULL,
            ADD PRIMARY KEY (room_id, user_id),
            ADD FOREIGN KEY (room_id) REFERENCES rooms(id) ON DELETE CASCADE, ADD FOREIGN KEY (user_id) REFERENCES users(id)
        """,
        "CREATE INDEX room_members_by_user ON room_members (user_id, room_id)",
        "ALTER TABLE messages RENAME COLUMN uid TO id",
        "ALTER TABLE messages RENAME COLUMN room_uid TO room_id",
        "ALTER TABLE messages RENAME COLUMN sender_uid TO sender_id",
        "ALTER TABLE messages RENAME COLUMN reply_to_uid TO reply_to_id",
        """
        ALTER TABLE messages ALTER COLUMN id DROP DEFAULT, ALTER COLUMN room_id SET NOT NULL, ALTER COLUMN sender_id SET NOT NULL,
            ADD PRIMARY KEY (id), ADD UNIQUE (room_id, seq),
            ADD FOREIGN KEY (room_id) REFERENCES rooms(id) ON DELETE CASCADE, ADD FOREIGN KEY (sender_id) REFERENCES users(id)
        """,
        """
        CREATE UNIQUE INDEX messages_by_client_id ON messages (room_id, sender_id, client_msg_id)
            WHERE client_msg_id IS NOT NULL
        """,
        "ALTER TABLE friend_requests RENAME COLUMN uid TO id",
        "ALTER TABLE friend_requests RENAME COLUMN requester_uid TO requester_id",
        "ALTER TABLE friend_requests RENAME COLUMN addressee_uid TO addressee_id",
        """
        ALTER TABLE friend_requests ALTER COLUMN id DROP DEFAULT, ALTER COLUMN requester_id SET NOT NULL,
            ALTER COLUMN addressee_id SET NOT NULL, ADD PRIMARY KEY (id),
            ADD FOREIGN KEY (requester_id) REFERENCES users(id), ADD FOREIGN KEY (addressee_id) REFERENCES users(id)
        """,
        "CREATE INDEX friend_requests_by_addressee ON friend_requests (addressee_id)",
        "CREATE INDEX friend_requests_by_requester ON friend_requests (requester_id)",
        "ALTER TABLE blocks RENAME COLUMN blocker_uid TO blocker_id",
        "ALTER TABLE blocks RENAME COLUMN blocked_uid TO blocked_id",
        """
        ALTER TABLE blocks ALTER COLUMN blocker_id SET NOT NULL, ALTER COLUMN blocked_id SET NOT NULL,
            ADD PRIMARY KEY (blocker_id, blocked_id),
            ADD FOREIGN KEY (blocker_id) REFERENCES users(id), ADD FOREIGN KEY (blocked_id) REFERENCES users(id)
        """,
    ]
}
