import Foundation
import NIOSSL
import PostgresNIO

/// `postgres://user:password@host:port/database?sslmode=...`, as libpq and DATABASE_URL spell it.
struct PostgresURL: Sendable, CustomStringConvertible {
    let configuration: PostgresClient.Configuration
    /// The same server for a connection of its own (the LISTEN connection).
    let connectionConfiguration: PostgresConnection.Configuration
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
        let connectionTLS: PostgresConnection.Configuration.TLS
        switch sslMode {
        case "disable":
            (tls, connectionTLS) = (.disable, .disable)
        case "prefer", "allow":
            let context = try NIOSSLContext(configuration: .makeClientConfiguration())
            (tls, connectionTLS) = (.prefer(.makeClientConfiguration()), .prefer(context))
        case "require", "verify-ca", "verify-full":
            let context = try NIOSSLContext(configuration: .makeClientConfiguration())
            (tls, connectionTLS) = (.require(.makeClientConfiguration()), .require(context))
        default:
            throw ServerStartupError("unknown sslmode '\(sslMode)' (disable, prefer, require or verify-full)")
        }
        let username = components.user.map { $0.removingPercentEncoding ?? $0 } ?? "postgres"
        let password = components.password.map { $0.removingPercentEncoding ?? $0 }
        let port = components.port ?? 5432
        configuration = PostgresClient.Configuration(host: host, port: port, username: username, password: password, database: database, tls: tls)
        connectionConfiguration = PostgresConnection.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: connectionTLS
        )
        description = Self.redacted(text)
    }

    private static func redacted(_ text: String) -> String {
        guard var components = URLComponents(string: text), components.password != nil else { return text }
        components.password = "***"
        return components.string ?? "postgres://..."
    }
}
