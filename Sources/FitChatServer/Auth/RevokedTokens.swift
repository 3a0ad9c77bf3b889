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

    static func digest(of token: String) -> SHA256Digest {
        SHA256.hash(data: Data(token.utf8))
    }

    /// The name a token is revoked under: its SHA-256 in lower-case hex. Checked on every
    /// authenticated request, so spelled out rather than formatted byte by byte.
    static func hex(_ digest: SHA256Digest) -> String {
        let digits: StaticString = "0123456789abcdef"
        return String(unsafeUninitializedCapacity: 2 * SHA256Digest.byteCount) { buffer in
            var index = 0
            for byte in digest {
                buffer[index] = digits.utf8Start[Int(byte >> 4)]
                buffer[index + 1] = digits.utf8Start[Int(byte & 0x0f)]
                index += 2
            }
            return index
        }
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
