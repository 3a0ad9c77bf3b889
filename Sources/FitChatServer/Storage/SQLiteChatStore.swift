import FitChatProtocol
import Foundation
import GRDB
import Logging

/// The embedded backend: one SQLite file in WAL mode, written by one connection at a time.
public final class SQLiteChatStore: ChatStore {
    let pool: DatabasePool
    let path: String

    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    public init(path: String) throws {
        self.path = path
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        // The database holds password hashes: a directory we create is private to the user.
        if !FileManager.default.fileExists(atPath: directory) {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        // The file holds password hashes: readable by its owner only. SQLite gives its -wal and
        // -shm files the main file's mode; files an older version left readable are closed up.
        if !FileManager.default.fileExists(atPath: path) {
            let descriptor = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0o600)
            if descriptor >= 0 { close(descriptor) }
        }
        for file in [path, path + "-wal", path + "-shm"] where FileManager.default.fileExists(atPath: file) {
            chmod(file, 0o600)
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            // Acknowledged means on disk: fsync every commit; group commit keeps that cheap.
            try db.execute(sql: "PRAGMA synchronous = FULL")
            // The log is copied into the database by `WALCheckpointer`, not by a commit.
            try db.execute(sql: "PRAGMA wal_autocheckpoint = \(WALCheckpointer.writerBackstopPages)")
        }
        pool = try DatabasePool(path: path, configuration: configuration)
        try SQLiteSchema.migrator.migrate(pool)
    }

    /// The service that checkpoints this database's log while the server runs.
    func checkpointer(logger: Logger) throws -> WALCheckpointer {
        try WALCheckpointer(path: path, logger: logger)
    }

    // MARK: Users

    /// A hook's user shows its hook's name (`UserRecord.username`), not its stored handle.
    static let userColumns = """
        u.id, CASE WHEN u.is_hook THEN u.display_name ELSE u.username END AS username, u.display_name, u.created_at,
        u.last_seen_at, u.is_hook
        """

    static func userRecord(_ row: Row, prefix: String = "") -> UserRecord {
        UserRecord(
            id: row[prefix + "id"],
            username: row[prefix + "username"],
            displayName: row[prefix + "display_name"],
            createdAt: Date(epochMilliseconds: row[prefix + "created_at"]),
            lastSeen: (row[prefix + "last_seen_at"] as Int64?).map(Date.init(epochMilliseconds:)),
            isHook: row[prefix + "is_hook"]
        )
    }

    public func createUser(username: String, displayName: String?, passwordHash: String, at date: Date) async throws -> UserRecord {
        let id = UserID.random()
        return try await pool.write { db in
            do {
                try db.execute(
                    sql: "INSERT INTO users (id, username, display_name, password_hash, created_at) VALUES (?, ?, ?, ?, ?)",
                    arguments: [id, username, displayName, passwordHash, date.epochMilliseconds]
                )
            } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
                throw StoreError.conflict("the username \(username) is taken")
            }
            return UserRecord(id: id, username: username, displayName: displayName, createdAt: date.roundedToMilliseconds, lastSeen: nil)
        }
    }

    public func user(id: UserID) async throws -> UserRecord? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.userColumns) FROM users u WHERE u.id = ?", arguments: [id]).map { Self.userRecord($0) }
        }
    }

    public func user(username: String) async throws -> UserRecord? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.userColumns) FROM users u WHERE u.username = ?", arguments: [username]).map { Self.userRecord($0) }
        }
    }

    public func passwordHash(userID: UserID) async throws -> String? {
        try await pool.read { db in
            try String.fetchOne(db, sql: "SELECT password_hash FROM users WHERE id = ?", arguments: [userID])
        }
    }

    public func searchUsers(matching query: String, limit: Int) async throws -> [UserRecord] {
        let pattern = "%" + query.likeEscaped + "%"
        let prefix = query.likeEscaped + "%"
        return try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT \(Self.userColumns) FROM users u
                    WHERE (u.username LIKE ? ESCAPE '\\' OR u.display_name LIKE ? ESCAPE '\\') AND NOT u.is_hook
                    ORDER BY (u.username LIKE ? ESCAPE '\\') DESC, u.username LIMIT ?
                    """,
                arguments: [pattern, pattern, prefix, limit]
            ).map { Self.userRecord($0) }
        }
    }

    public func users(idPrefix prefix: ChatIDPrefix, limit: Int) async throws -> [UserRecord] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT \(Self.userColumns) FROM users u WHERE u.id BETWEEN ? AND ? AND NOT u.is_hook ORDER BY u.username LIMIT ?",
                arguments: [prefix.lowerBound, prefix.upperBound, limit]
            ).map { Self.userRecord($0) }
        }
    }

    public func revokeToken(hash: String, until expiry: Date) async throws {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM revoked_tokens WHERE expires_at < ?", arguments: [Date().epochMilliseconds])
            try db.execute(
                sql: "INSERT OR IGNORE INTO revoked_tokens (token_hash, expires_at) VALUES (?, ?)", arguments: [hash, expiry.epochMilliseconds]
            )
        }
    }

    public func isTokenRevoked(hash: String) async throws -> Bool {
        try await pool.read { db in try Bool.fetchOne(db, sql: "SELECT 1 FROM revoked_tokens WHERE token_hash = ?", arguments: [hash]) != nil }
    }

    public func revokedTokens(after date: Date) async throws -> [(hash: String, expiry: Date)] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT token_hash, expires_at FROM revoked_tokens WHERE expires_at >= ?", arguments: [date.epochMilliseconds])
                .map { (hash: $0["token_hash"], expiry: Date(epochMilliseconds: $0["expires_at"])) }
        }
    }

    public func setLastSeen(_ date: Date, userID: UserID) async throws {
        try await pool.write { db in
            try db.execute(sql: "UPDATE users SET last_seen_at = ? WHERE id = ?", arguments: [date.epochMilliseconds, userID])
        }
    }
}
