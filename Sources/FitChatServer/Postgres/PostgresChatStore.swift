import FitChatProtocol
import Foundation
import Logging
import PostgresNIO

/// The shared backend: one PostgreSQL database for several server nodes. Same semantics as
/// SQLite; every message write also puts an outbox row in the same transaction, which is how
/// the other nodes hear of it.
public final class PostgresChatStore: ChatStore {
    let client: PostgresClient
    /// This node's name in `outbox.node_id`, so it can skip what it published itself.
    let nodeID: String
    let logger: Logger

    /// `client` must be running (see `PostgresClient.run()`); call `migrate()` before use.
    public init(client: PostgresClient, nodeID: String, logger: Logger) {
        self.client = client
        self.nodeID = nodeID
        self.logger = logger
    }

    /// Opens `url`, migrates, runs `body` and closes: a store without a server, for tools and tests.
    public static func withStore<T: Sendable>(
        url: String, nodeID: String, logger: Logger, _ body: (PostgresChatStore) async throws -> T
    ) async throws -> T {
        let client = PostgresClient(configuration: try PostgresURL(url).configuration, backgroundLogger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            let store = PostgresChatStore(client: client, nodeID: nodeID, logger: logger)
            try await store.migrate()
            return try await body(store)
        }
    }

    public func migrate() async throws {
        try await PostgresSchema.migrate(client, logger: logger)
    }

    /// The JWT secret every node must share: the first node to start generates it.
    public func sharedSecret(generate: () -> String) async throws -> String {
        let candidate = generate()
        try await query("INSERT INTO settings (key, value) VALUES ('jwt_secret', \(candidate)) ON CONFLICT (key) DO NOTHING")
        let rows = try await query("SELECT value FROM settings WHERE key = 'jwt_secret'")
        guard let secret = try rows.first?.value("value", as: String.self) else { throw StoreError.inconsistent("an expected row is missing") }
        return secret
    }

    // MARK: Helpers shared by the extensions

    /// Cancelled work never asks the pool for a connection: a lease requested while its task
    /// is being cancelled can be left waiting in PostgresNIO's pool.
    @discardableResult
    func query(_ query: PostgresQuery) async throws -> [PostgresRandomAccessRow] {
        try Task.checkCancellation()
        return try await client.query(query, logger: logger).all()
    }

    /// Runs `body` in one transaction. `retries` runs it again that many times at most when the
    /// database broke a deadlock by rolling it back (the rollback undid all of it).
    func transaction<T: Sendable>(retries: Int = 0, _ body: @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        var attempt = 0
        while true {
            try Task.checkCancellation()
            do {
                return try await client.withTransaction(logger: logger) { connection in try await body(connection) }
            } catch let error as PostgresTransactionError {
                // A refusal from `body` (rolled back cleanly) reaches the caller as itself.
                if let refusal = error.closureError as? StoreError, error.rollbackError == nil { throw refusal }
                guard attempt < retries, error.rollbackError == nil, Self.isDeadlock(error.closureError) else { throw error }
                attempt += 1
                logger.notice("a transaction was rolled back to break a deadlock; running it again", metadata: ["attempt": "\(attempt)"])
            }
        }
    }

    static func isDeadlock(_ error: (any Error)?) -> Bool {
        (error as? PSQLError)?.serverInfo?[.sqlState] == "40P01"
    }

    /// A hook's user shows its hook's name (`UserRecord.username`), not its stored handle.
    static let userColumns = """
        u.id, CASE WHEN u.is_hook THEN u.display_name ELSE u.username END AS username, u.display_name, u.created_at,
        u.last_seen_at, u.is_hook
        """

    static func userRecord(_ row: PostgresRandomAccessRow) throws -> UserRecord {
        UserRecord(
            id: try row.value("id"),
            username: try row.value("username"),
            displayName: try row.value("display_name"),
            createdAt: Date(epochMilliseconds: try row.value("created_at")),
            lastSeen: (try row.value("last_seen_at", as: Int64?.self)).map(Date.init(epochMilliseconds:)),
            isHook: try row.value("is_hook")
        )
    }

    static func isUniqueViolation(_ error: any Error) -> Bool {
        (error as? PSQLError)?.serverInfo?[.sqlState] == "23505"
    }

    // MARK: Users

    public func createUser(username: String, displayName: String?, passwordHash: String, at date: Date) async throws -> UserRecord {
        let id = UserID.random()
        do {
            try await query("""
                INSERT INTO users (id, username, display_name, password_hash, created_at)
                VALUES (\(id), \(username), \(displayName), \(passwordHash), \(date.epochMilliseconds))
                """)
            return UserRecord(id: id, username: username, displayName: displayName, createdAt: date.roundedToMilliseconds, lastSeen: nil)
        } catch where Self.isUniqueViolation(error) {
            throw StoreError.conflict("the username \(username) is taken")
        }
    }

    public func user(id: UserID) async throws -> UserRecord? {
        try await query("SELECT \(unescaped: Self.userColumns) FROM users u WHERE u.id = \(id)").first.map(Self.userRecord)
    }

    public func user(username: String) async throws -> UserRecord? {
        try await query("SELECT \(unescaped: Self.userColumns) FROM users u WHERE lower(u.username) = lower(\(username))").first.map(Self.userRecord)
    }

    public func passwordHash(userID: UserID) async throws -> String? {
        try await query("SELECT password_hash FROM users WHERE id = \(userID)").first?.value("password_hash")
    }

    public func searchUsers(matching text: String, limit: Int) async throws -> [UserRecord] {
        let pattern = "%" + text.likeEscaped + "%"
        let prefix = text.likeEscaped + "%"
        return try await query("""
            SELECT \(unescaped: Self.userColumns) FROM users u
            WHERE (u.username ILIKE \(pattern) OR u.display_name ILIKE \(pattern)) AND NOT u.is_hook
            ORDER BY (u.username ILIKE \(prefix)) DESC, lower(u.username) LIMIT \(limit)
            """).map(Self.userRecord)
    }

    public func users(idPrefix prefix: ChatIDPrefix, limit: Int) async throws -> [UserRecord] {
        try await query("""
            SELECT \(unescaped: Self.userColumns) FROM users u WHERE u.id BETWEEN \(prefix.lowerBound) AND \(prefix.upperBound) AND NOT u.is_hook
            ORDER BY lower(u.username) LIMIT \(limit)
            """).map(Self.userRecord)
    }

    public func revokeToken(hash: String, until expiry: Date) async throws {
        try await query("DELETE FROM revoked_tokens WHERE expires_at < \(Date().epochMilliseconds)")
        try await query("""
            INSERT INTO revoked_tokens (token_hash, expires_at) VALUES (\(hash), \(expiry.epochMilliseconds)) ON CONFLICT DO NOTHING
            """)
    }

    public func isTokenRevoked(hash: String) async throws -> Bool {
        try await !query("SELECT 1 AS one FROM revoked_tokens WHERE token_hash = \(hash)").isEmpty
    }

    public func revokedTokens(after date: Date) async throws -> [(hash: String, expiry: Date)] {
        try await query("SELECT token_hash, expires_at FROM revoked_tokens WHERE expires_at >= \(date.epochMilliseconds)").map {
            (hash: try $0.value("token_hash"), expiry: Date(epochMilliseconds: try $0.value("expires_at")))
        }
    }

    public func setLastSeen(_ date: Date, userID: UserID) async throws {
        try await query("UPDATE users SET last_seen_at = \(date.epochMilliseconds) WHERE id = \(userID)")
    }
}

extension PostgresRowSequence {
    /// Every row, for access by column name.
    func all() async throws -> [PostgresRandomAccessRow] {
        var rows: [PostgresRandomAccessRow] = []
        for try await row in self { rows.append(row.makeRandomAccess()) }
        return rows
    }
}

extension PostgresRandomAccessRow {
    func value<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws -> T {
        try self[column].decode(T.self)
    }
}
