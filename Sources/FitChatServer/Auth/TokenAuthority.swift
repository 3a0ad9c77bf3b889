import Crypto
import FitChatProtocol
import Foundation
import JWTKit

/// The identity a verified token carries.
public struct AuthenticatedUser: Sendable, Equatable {
    public var id: UserID
    public var username: String
    public var expiresAt: Date
    /// The token's SHA-256 as its 32 bytes (an open connection keeps its user); nil for a
    /// webhook's sender, which has no token.
    var tokenDigest: SHA256Digest?
    /// What the token is revoked under when its holder logs out: `tokenDigest` in hex.
    public var tokenHash: String { tokenDigest.map(RevokedTokens.hex) ?? "" }

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

    /// The farthest expiry a token may claim (ten years): past it, a validly signed token is refused.
    static let longestExpiry: TimeInterval = 10 * 365 * 86_400

    /// Time left until `date`, in whole milliseconds, bounded so that it always fits (`verify`
    /// refuses expiries past `longestExpiry`; this never traps whatever it is given).
    static func milliseconds(until date: Date, now: Date = Date()) -> Int64 {
        let seconds = date.timeIntervalSince(now)
        guard seconds.isFinite else { return 0 }
        return Int64(min(max(0, seconds), longestExpiry) * 1000)
    }

    func issue(userID: UserID, username: String, now: Date = Date()) async throws -> String {
        let payload = AccessClaims(
            subject: SubjectClaim(value: userID.uuidString),
            username: username,
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
            throw .unauthorized(error.failedClaim is NotBeforeClaim ? "the token is not valid yet" : "the token has expired")
        } catch {
            throw .unauthorized("the token is invalid")
        }
        // Ids are UUIDs: an integer `sub` is a token from before they were, and the user must log in again.
        guard let id = UserID(claims.subject.value) else { throw .unauthorized("the token is invalid; log in again") }
        // This server never signs an expiry decades away; a token that claims one was not made here.
        guard claims.expiration.value.timeIntervalSinceNow < Self.longestExpiry else { throw .unauthorized("the token's expiry is out of range") }
        return AuthenticatedUser(id: id, username: claims.username, expiresAt: claims.expiration.value, tokenDigest: RevokedTokens.digest(of: token))
    }
}

struct AccessClaims: JWTPayload {
    var subject: SubjectClaim
    var username: String
    var issuedAt: IssuedAtClaim
    var expiration: ExpirationClaim
    /// Not issued here, but honoured when a token carries it (RFC 7519 4.1.5).
    var notBefore: NotBeforeClaim?

    enum CodingKeys: String, CodingKey {
        case subject = "sub"
        case username
        case issuedAt = "iat"
        case expiration = "exp"
        case notBefore = "nbf"
    }

    func verify(using algorithm: some JWTAlgorithm) async throws {
        try expiration.verifyNotExpired()
        try notBefore?.verifyNotBefore()
    }
}
