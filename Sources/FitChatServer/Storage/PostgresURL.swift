import Foundation
import PostgresNIO

/// `postgres://user:password@host:port/database?sslmode=...`, as libpq and DATABASE_URL spell it.
struct PostgresURL: Sendable, CustomStringConvertible {
    let configuration: PostgresClient.Configuration
    /// The URL without its password, for messages and logs.
    let description: String

    init(_ text: String) throws {
        guard let components = URLComponents(string: text), ["postgres", "postgresql"].contains(components.scheme ?? ""),
            let host = components.host, !host.isEmpty
        else {
            throw ServerStartupError("not a PostgreSQL URL (postgres://user:password@host:port/database): \(Self.redacted(text))")
        }
        let database = components.path.split(separator: "/").first.map(String.init)
        let sslMode = components.queryItems?.first { $0.name == "sslmode" }?.value ?? "prefer"
        let tls: PostgresClient.Configuration.TLS
        switch sslMode {
        case "disable": tls = .disable
        case "prefer", "allow": tls = .prefer(.makeClientConfiguration())
        case "require", "verify-ca", "verify-full": tls = .require(.makeClientConfiguration())
        default: throw ServerStartupError("unknown sslmode '\(sslMode)' (disable, prefer, require or verify-full)")
        }
        configuration = PostgresClient.Configuration(
            host: host, port: components.port ?? 5432,
            username: components.user.map { $0.removingPercentEncoding ?? $0 } ?? "postgres",
            password: components.password.map { $0.removingPercentEncoding ?? $0 },
            database: database, tls: tls
        )
        description = Self.redacted(text)
    }

    private static func redacted(_ text: String) -> String {
        guard var components = URLComponents(string: text), components.password != nil else { return text }
        components.password = "***"
        return components.string ?? "postgres://..."
    }
}
