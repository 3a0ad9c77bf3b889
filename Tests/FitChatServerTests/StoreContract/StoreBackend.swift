import FitChatServer
import FitChatTestSupport
import Foundation
import Logging
import Testing

/// The backends every store contract test runs on: SQLite always, PostgreSQL when a server
/// was given (see `PostgresTestDatabase`).
enum StoreBackend: String, CustomTestStringConvertible, Sendable {
    case sqlite
    case postgres

    static let all: [StoreBackend] = PostgresTestDatabase.enabled ? [.sqlite, .postgres] : [.sqlite]

    var testDescription: String { rawValue }

    /// Runs `body` with two stores on one fresh database, as two server nodes would have
    /// them (for SQLite: two pools on one file); on PostgreSQL, `postgresURL` names the
    /// database when the test reads it afterwards. Both are closed when `body` returns.
    func withStores(postgresURL: String? = nil, _ body: (any ChatStore, any ChatStore) async throws -> Void) async throws {
        let logger = PostgresTestDatabase.quietLogger
        switch self {
        case .sqlite:
            let path = try TestServer.makeDirectory().appendingPathComponent("contract.sqlite").path
            try await body(try SQLiteChatStore(path: path), try SQLiteChatStore(path: path))
        case .postgres:
            let url = if let postgresURL { postgresURL } else { try await PostgresTestDatabase.create() }
            try await PostgresChatStore.withStore(url: url, nodeID: "node-1", logger: logger) { first in
                try await PostgresChatStore.withStore(url: url, nodeID: "node-2", logger: logger) { second in
                    try await body(first, second)
                }
            }
        }
    }

    func withStore(_ body: (any ChatStore) async throws -> Void) async throws {
        try await withStores { store, _ in try await body(store) }
    }
}
