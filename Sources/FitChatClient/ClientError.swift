import FitChatProtocol

/// Everything that can go wrong for a client of fitchat, in words for the person at the shell.
/// The CLI maps each case to one exit code of CLI.md.
public enum ClientError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The server could not be reached (refused, DNS, TLS handshake, timeout on connect).
    case unreachable(String)
    /// No usable credentials: not logged in, or no way to ask for a password.
    case notLoggedIn(String)
    /// The server answered with an error body.
    case refused(code: ErrorCode, message: String, retryAfterMs: Int?)
    /// A `ROOM` or `USER` argument that names nothing, or several things.
    case unresolved(String)
    /// A deadline the caller set passed first.
    case timedOut(String)
    /// A profile, token file, CA file or server URL that cannot be used.
    case configuration(String)
    /// Arguments that make no sense together (or an empty message).
    case usage(String)
    /// The server said something this client does not understand.
    case protocolViolation(String)

    public var description: String {
        switch self {
        case .unreachable(let message), .notLoggedIn(let message), .unresolved(let message), .timedOut(let message),
            .configuration(let message), .usage(let message), .protocolViolation(let message):
            message
        case .refused(let code, let message, let retryAfterMs):
            if code == .rateLimited, let retryAfterMs {
                "\(message) (retry in \(max(1, (retryAfterMs + 999) / 1000)) s)"
            } else {
                message
            }
        }
    }
}
