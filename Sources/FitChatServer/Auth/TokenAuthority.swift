import FitChatProtocol
import Foundation
import JWTKit

/// The identity a verified token carries.
public struct AuthenticatedUser: Sendable, Equatable {
    public var id: UserID
    public var username: String
    public var expiresAt: Date

    /// Time left, in whole milliseconds; a signed `exp` far beyond any lifetime (or not finite)
    /// counts as ten years, never as a number that does not fit.
    func millisecondsUntilExpiry(now: Date = Date()) -> Int64 {
        let seconds = expiresAt.timeIntervalSince(now)
        guard seconds.isFinite else { return 0 }
        return Int64(min(max(0, seconds), 10 * 365 * 86_400) * 1000)
    }
}

/// Issues and verifies the HS256 access tokens that REST and WebSocket accept.
struct TokenAuthority: Sendable {
    private let keys: JWTKeyCollection
    let lifetime: Duration

    init(secret: String, lifetime: Duration) async {
        keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        self.lifetime = lifetime
    }

    var lifetimeSeconds: Int { Int(lifetime.components.seconds) }

    func issue(for user: UserRecord, now: Date = Date()) async throws -> String {
        let payload = AccessClaims(
            subject: SubjectClaim(value: String(user.id)),
            username: user.username,
            issuedAt: IssuedAtClaim(value: now),
            expiration: ExpirationClaim(value: now.addingTimeInterval(TimeInterval(lifetimeSeconds)))
        )
        return try await keys.sign(payload)
    }

    /// Verifies signature and expiry; every failure is `unauthorized` with a reason.
    func verify(_ token: String) async throws(ServerError) -> AuthenticatedUser {
        let claims: AccessClaims
        do {
            claims = try await keys.verify(token, as: AccessClaims.self)
        } catch let error as JWTError where error.errorType == .claimVerificationFailure {
            throw .unauthorized("the token has expired")
        } catch {
            throw .unauthorized("the token is invalid")
        }
        guard let id = UserID(claims.subject.value) else { throw .unauthorized("the token is invalid") }
        return AuthenticatedUser(id: id, username: claims.username, expiresAt: claims.expiration.value)
    }
}

struct AccessClaims: JWTPayload {
    var subject: SubjectClaim
    var username: String
    var issuedAt: IssuedAtClaim
    var expiration: ExpirationClaim

    enum CodingKeys: String, CodingKey {
        case subject = "sub"
        case username
        case issuedAt = "iat"
        case expiration = "exp"
    }

    func verify(using algorithm: some JWTAlgorithm) async throws {
        try expiration.verifyNotExpired()
    }
}
