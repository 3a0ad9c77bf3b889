import GRDB

/// Search indexing after commits, not in them (schema v7). FTS5 writes a segment for every
/// transaction that indexes anything, and merges them as they pile up: indexing each message in
/// its own commit cost more than the rest of the commit. Indexed in bulk it costs a few µs each.
extension SQLiteChatStore {
    /// Runs the transaction on the caller's thread, as `commit` does: the message pipeline calls
    /// this from its `CommitThread` between batches.
    public func indexForSearch(limit: Int) async throws -> Int {
        try indexHere(limit: limit)
    }

    private func indexHere(limit: Int) throws -> Int {
        try pool.write { db in try Self.indexForSearch(limit: limit, in: db) }
    }

    /// Indexes the oldest `limit` messages not indexed yet (all of them when `nil`); returns how
    /// many are left.
    static func indexForSearch(limit: Int?, in db: Database) throws -> Int {
        let mark = try Int64.fetchOne(db.cachedStatement(sql: "SELECT indexed_through FROM search_progress")) ?? 0
        guard let last = try Int64.fetchOne(db.cachedStatement(sql: "SELECT MAX(row_key) FROM messages")), last > mark else { return 0 }
        var through = last
        if let limit {
            through = try Int64.fetchOne(
                db.cachedStatement(sql: "SELECT row_key FROM messages WHERE row_key > ? ORDER BY row_key LIMIT 1 OFFSET ?"),
                arguments: [mark, max(limit, 1) - 1]
            ) ?? last
        }
        try db.cachedStatement(
            sql: "INSERT INTO messages_fts(rowid, content) SELECT row_key, content FROM messages WHERE row_key > ? AND row_key <= ? ORDER BY row_key"
        ).execute(arguments: [mark, through])
        try db.cachedStatement(sql: "UPDATE search_progress SET indexed_through = ?").execute(arguments: [through])
        guard through < last else { return 0 }
        return try Int.fetchOne(db.cachedStatement(sql: "SELECT COUNT(*) FROM messages WHERE row_key > ?"), arguments: [through]) ?? 0
    }

    /// Indexes whatever the pipeline has not indexed yet, so that a search finds every message
    /// acknowledged before it; a search that finds nothing waiting writes nothing.
    func catchUpSearchIndex() async throws {
        let behind = try await pool.read { db in
            try Bool.fetchOne(
                db, sql: "SELECT (SELECT COALESCE(MAX(row_key), 0) FROM messages) > (SELECT indexed_through FROM search_progress)"
            ) ?? false
        }
        guard behind else { return }
        try await pool.write { db in _ = try Self.indexForSearch(limit: nil, in: db) }
    }
}
