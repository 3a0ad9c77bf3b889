import Foundation

/// Where the server is. Accepts `http(s)://` and `ws(s)://` (plus a bare `host:port`); REST
/// goes to the http form, the live session to `/ws/chat` on the ws form.
public struct ServerAddress: Sendable, Equatable, CustomStringConvertible {
    public static let defaultURL = "http://127.0.0.1:8000"

    public let isSecure: Bool
    public let host: String
    public let port: Int
    /// A path prefix when the server sits behind a reverse proxy under a sub-path.
    public let basePath: String

    public init(_ text: String) throws(ClientError) {
        let withScheme = text.contains("://") ? text : "http://\(text)"
        guard let components = URLComponents(string: withScheme), let scheme = components.scheme?.lowercased(),
            let host = components.host, !host.isEmpty
        else { throw .configuration("invalid server URL '\(text)'") }
        switch scheme {
        case "http", "ws": isSecure = false
        case "https", "wss": isSecure = true
        default: throw .configuration("unsupported scheme '\(scheme)' in server URL '\(text)': use http(s):// or ws(s)://")
        }
        self.host = host
        port = components.port ?? (isSecure ? 443 : 80)
        basePath = components.path.hasSuffix("/") ? String(components.path.dropLast()) : components.path
    }

    private var hostForURL: String { host.contains(":") ? "[\(host)]" : host }

    public var httpBase: String { "\(isSecure ? "https" : "http")://\(hostForURL):\(port)\(basePath)" }
    public var webSocketURL: String { "\(isSecure ? "wss" : "ws")://\(hostForURL):\(port)\(basePath)/ws/chat" }
    public var description: String { httpBase }
    /// The `Host` header of a request to it.
    var hostHeader: String { "\(hostForURL):\(port)" }

    /// The name the WebSocket's TLS handshake sends and verifies. SNI may not carry an IP address
    /// (RFC 6066) and swift-websocket would send one, so a loopback address goes as `localhost`.
    var tlsHostname: String? {
        var ipv4 = in_addr()
        var ipv6 = in6_addr()
        let isAddress = inet_pton(AF_INET, host, &ipv4) == 1 || inet_pton(AF_INET6, host, &ipv6) == 1
        guard isAddress else { return host }
        return host.hasPrefix("127.") || host == "::1" ? "localhost" : nil
    }
}
