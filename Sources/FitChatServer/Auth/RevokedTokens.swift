import Crypto
import Foundation
import Synchronization

/// Tokens logged out before they expired, known by their SHA-256 (a token is never kept).
/// Each node holds the set in memory (loaded from the store at start, added to by its own
/// logouts and by the cluster's `tokenRevoked` events); an entry goes once its token would have
/// expired anyway, which bounds the set. Where other nodes share the store, a token not in the
/// set is also looked up there (`sharedLookup`), so a logout on one node holds on every node
/// from the moment it is answered, not from when the event arrives.
final class RevokedTokens: Sendable {
    private let entries = Mutex<[String: Date]>([:])
    private let sharedLookup: (@Sendable (String) async throws -> Bool)?

    init(_ initial: [(hash: String, expiry: Date)] = [], sharedLookup: (@Sendable (String) async throws -> Bool)? = nil) {
        self.sharedLookup = sharedLookup
        entries.withLock { entries in
            for (hash, expiry) in initial { entries[hash] = expiry }
        }
    }

    /// The name a token is revoked under.
    static func hash(of token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    func contains(_ hash: String) async throws -> Bool {
        if entries.withLock({ $0[hash] != nil }) { return true }
        return try await sharedLookup?(hash) ?? false
    }

    func add(_ hash: String, until expiry: Date, now: Date = Date()) {
        entries.withLock { entries in
            entries[hash] = expiry
            if entries.count % 1024 == 0 { entries = entries.filter { $0.value > now } }
        }
    }
}
