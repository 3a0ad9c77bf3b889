import FitChatProtocol
import Foundation

extension ChatService {
    func register(_ request: RegisterRequest) async throws -> AuthResponse {
        let username = try Validation.username(request.username)
        try Validation.password(request.password)
        let displayName = try Validation.displayName(request.displayName)
        let hash = try await passwords.hash(request.password)
        let user = try await store.createUser(username: username, displayName: displayName, passwordHash: hash, at: Date())
        logger.info("registered", metadata: ["user": "\(user.username)", "user_id": "\(user.id)"])
        return try await authResponse(for: user)
    }

    /// Checks the password; repeated failures for one username lock it out for a while (429).
    func login(_ request: LoginRequest) async throws -> AuthResponse {
        // No username is longer than 32 characters: a longer one fails without a lookup.
        guard request.username.utf8.count <= 128 else { throw ServerError.unauthorized("wrong username or password") }
        if let retryAfterMs = loginThrottle.retryAfterMs(username: request.username) {
            throw ServerError.rateLimited(retryAfterMs: retryAfterMs)
        }
        guard let user = try await store.user(username: request.username), !user.isHook,
            let hash = try await store.passwordHash(userID: user.id),
            try await passwords.verify(request.password, against: hash)
        else {
            loginThrottle.recordFailure(username: request.username)
            throw ServerError.unauthorized("wrong username or password")
        }
        loginThrottle.recordSuccess(username: request.username)
        return try await authResponse(for: user)
    }

    private func authResponse(for user: UserRecord) async throws -> AuthResponse {
        AuthResponse(
            accessToken: try await tokens.issue(userID: user.id, username: user.username),
            expiresIn: tokens.lifetimeSeconds,
            user: userInfo(user, viewer: user.id)
        )
    }

    /// Revokes the caller's token here and, before answering, on every node.
    func logout(_ caller: AuthenticatedUser) async throws {
        try await store.revokeToken(hash: caller.tokenHash, until: caller.expiresAt)
        revokedTokens.add(caller.tokenHash, until: caller.expiresAt)
        await fanOut.tokenRevoked(hash: caller.tokenHash, expiresAt: caller.expiresAt)
        logger.info("logged out", metadata: ["user_id": "\(caller.id)"])
    }

    func me(_ caller: AuthenticatedUser) async throws -> UserInfo {
        userInfo(try await requireUser(caller.id), viewer: caller.id)
    }

    func user(_ id: UserID, viewer: AuthenticatedUser) async throws -> UserInfo {
        userInfo(try await requireUser(id), viewer: viewer.id)
    }

    /// By name (`q`), or by the beginning of an id (`id_prefix`), as a short id typed by a person.
    func searchUsers(_ query: String?, idPrefix: String?, viewer: AuthenticatedUser) async throws -> [UserInfo] {
        if let idPrefix {
            let prefix = try Validation.idPrefix(idPrefix)
            return try await store.users(idPrefix: prefix, limit: 50).map { userInfo($0, viewer: viewer.id) }
        }
        let query = (query ?? "").trimmingCharacters(in: .whitespaces)
        guard !query.isEmpty else { throw ServerError.invalid("q (or id_prefix) is required") }
        return try await store.searchUsers(matching: query, limit: 50).map { userInfo($0, viewer: viewer.id) }
    }
}
