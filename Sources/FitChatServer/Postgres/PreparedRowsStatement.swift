import PostgresNIO

/// A statement PostgreSQL parses and plans once per connection: for the queries every message
/// runs, whose planning cost more of the database's time than their execution.
protocol PreparedRowsStatement: PostgresPreparedStatement where Row == PostgresRandomAccessRow {
    var bindings: PostgresBindings { get }
}

extension PreparedRowsStatement {
    func makeBindings() -> PostgresBindings { bindings }

    func decodeRow(_ row: PostgresRow) throws -> PostgresRandomAccessRow { row.makeRandomAccess() }
}

extension PostgresConnection {
    /// Every row of a prepared statement, for access by column name.
    func rows<Statement: PreparedRowsStatement>(_ statement: Statement, logger: Logger) async throws -> [PostgresRandomAccessRow] {
        try await Array(execute(statement, logger: logger))
    }
}

extension PostgresClient {
    /// Every row of a prepared statement, on a connection of the pool.
    func rows<Statement: PreparedRowsStatement>(_ statement: Statement, logger: Logger) async throws -> [PostgresRandomAccessRow] {
        try await Array(execute(statement, logger: logger))
    }
}

extension Array {
    /// Every element of a sequence of rows, read to its end.
    init<Rows: AsyncSequence>(_ rows: Rows) async throws where Rows.Element == Element {
        self = []
        for try await row in rows { append(row) }
    }
}
