import Foundation
import Logging
import PostgresNIO

/// A fresh database on the PostgreSQL server the tests were given (`FITCHAT_TEST_POSTGRES_URL`,
/// as `scripts/test` starts one). Without one, PostgreSQL tests are skipped with a loud note,
/// unless `FITCHAT_REQUIRE_POSTGRES=1` (CI), which makes them fail instead.
package enum PostgresTestDatabase {
    package static let adminURL = ProcessInfo.processInfo.environment["FITCHAT_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    package static let required = ProcessInfo.processInfo.environment["FITCHAT_REQUIRE_POSTGRES"] == "1"

    /// Whether PostgreSQL tests run; says so on stderr, once, when they do not.
    package static let enabled: Bool = {
        if adminURL != nil || required { return true }
        FileHandle.standardError.write(Data("""

            *** PostgreSQL tests SKIPPED: FITCHAT_TEST_POSTGRES_URL is not set. ***
            *** Run scripts/test (it starts a throwaway PostgreSQL), or set it to a server's admin URL. ***


            """.utf8))
        return false
    }()

    /// Creates an empty database and returns its URL.
    package static func create() async throws -> String {
        guard let adminURL else { throw TestFailure("FITCHAT_REQUIRE_POSTGRES=1 but FITCHAT_TEST_POSTGRES_URL names no server") }
        let name = "fitchat_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        _ = try await withClient(adminURL) { client in try await client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)")) }
        var database = URLComponents(string: adminURL)!
        database.path = "/" + name
        database.query = "sslmode=disable"
        return database.string!
    }

    /// The single number `sql` selects, for checks on what the server left in its tables.
    package static func count(_ sql: String, in url: String) async throws -> Int {
        try await withClient(url) { client in
            for try await count in try await client.query(PostgresQuery(unsafeSQL: sql)).decode(Int.self) { return count }
            throw TestFailure("\(sql) returned no row")
        }
    }

    /// How many deadlocks the server broke in the database at `url`, once every connection to
    /// it has closed (a backend reports its statistics when it exits).
    package static func deadlocks(in url: String) async throws -> Int {
        guard let adminURL, let name = URLComponents(string: url)?.path.split(separator: "/").first.map(String.init) else {
            throw TestFailure("no PostgreSQL server to ask")
        }
        return try await withClient(adminURL) { client in
            for _ in 0..<100 {
                let open = try await client.query("SELECT count(*)::int AS open FROM pg_stat_activity WHERE datname = \(name)")
                var count = 0
                for try await value in open.decode(Int.self) { count = value }
                if count == 0 { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            for try await deadlocks in try await client.query("SELECT deadlocks::int FROM pg_stat_database WHERE datname = \(name)").decode(Int.self) {
                return deadlocks
            }
            throw TestFailure("no statistics for database \(name)")
        }
    }

    /// PostgresNIO's background warnings are not the tests' business.
    package static var quietLogger: Logger {
        var logger = Logger(label: "fitchat-test-postgres")
        logger.logLevel = .critical
        return logger
    }

    /// Runs `body` with a client on `url`.
    package static func withClient<T: Sendable>(_ url: String, _ body: (PostgresClient) async throws -> T) async throws -> T {
        guard let components = URLComponents(string: url) else { throw TestFailure("bad PostgreSQL URL \(url)") }
        let configuration = PostgresClient.Configuration(
            host: components.host ?? "127.0.0.1", port: components.port ?? 5432, username: components.user ?? "postgres",
            password: components.password, database: components.path.split(separator: "/").first.map(String.init), tls: .disable
        )
        let client = PostgresClient(configuration: configuration, backgroundLogger: quietLogger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            return try await body(client)
        }
    }
}
