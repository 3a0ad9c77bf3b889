import Crypto
import Foundation
import Synchronization

/// Counts failed logins per username in a sliding window; past the allowance, logins are refused.
/// Memory stays bounded whatever is sent: usernames are kept as a fixed-size hash (a 200 KB
/// "username" costs 32 bytes), each keeps at most `allowed` recent failures, and the table holds
/// at most `capacity` usernames (past it, the ones whose failures are oldest are let go first).
final class LoginThrottle: Sendable {
    private let allowed: Int
    private let window: TimeInterval
    private let capacity: Int
    private let failures = Mutex<[UsernameKey: [Date]]>([:])

    /// A username as the table keys it.
    struct UsernameKey: Hashable, Sendable {
        let digest: SHA256Digest

        init(_ username: String) {
            digest = SHA256.hash(data: Data(username.lowercased().utf8))
        }
    }

    init(allowed: Int, window: Duration, capacity: Int = 50_000) {
        self.allowed = max(1, allowed)
        self.window = TimeInterval(window.components.seconds)
        self.capacity = capacity
    }

    /// Milliseconds until another attempt is allowed, or nil when one is allowed now.
    func retryAfterMs(username: String, now: Date = Date()) -> Int? {
        let key = UsernameKey(username)
        return failures.withLock { failures in
            let recent = (failures[key] ?? []).filter { now.timeIntervalSince($0) < window }
            failures[key] = recent.isEmpty ? nil : recent
            guard recent.count >= allowed, let oldest = recent.first else { return nil }
            return max(1, Int((window - now.timeIntervalSince(oldest)) * 1000))
        }
    }

    func recordFailure(username: String, now: Date = Date()) {
        let key = UsernameKey(username)
        failures.withLock { failures in
            var recent = (failures[key] ?? []).filter { now.timeIntervalSince($0) < window }
            recent.append(now)
            failures[key] = Array(recent.suffix(allowed))
            if failures.count > capacity { evict(from: &failures, now: now) }
        }
    }

    func recordSuccess(username: String) {
        let key = UsernameKey(username)
        _ = failures.withLock { $0.removeValue(forKey: key) }
    }

    /// How many usernames the table holds (for tests of its bound).
    var trackedUsernames: Int { failures.withLock { $0.count } }

    /// Drops expired entries, then, if still too many, the tenth whose last failure is oldest.
    private func evict(from failures: inout [UsernameKey: [Date]], now: Date) {
        failures = failures.filter { now.timeIntervalSince($0.value.last ?? .distantPast) < window }
        guard failures.count > capacity else { return }
        let oldest = failures.sorted { ($0.value.last ?? .distantPast) < ($1.value.last ?? .distantPast) }.prefix(max(1, capacity / 10))
        for (key, _) in oldest { failures[key] = nil }
    }
}
