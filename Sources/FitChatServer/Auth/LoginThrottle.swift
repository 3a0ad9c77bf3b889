import Foundation
import Synchronization

/// Counts failed logins per username in a sliding window; past the allowance, logins are refused.
final class LoginThrottle: Sendable {
    private let allowed: Int
    private let window: TimeInterval
    private let failures = Mutex<[String: [Date]]>([:])

    init(allowed: Int, window: Duration) {
        self.allowed = allowed
        self.window = TimeInterval(window.components.seconds)
    }

    /// Milliseconds until another attempt is allowed, or nil when one is allowed now.
    func retryAfterMs(username: String, now: Date = Date()) -> Int? {
        failures.withLock { failures in
            let key = username.lowercased()
            let recent = (failures[key] ?? []).filter { now.timeIntervalSince($0) < window }
            failures[key] = recent.isEmpty ? nil : recent
            guard recent.count >= allowed, let oldest = recent.first else { return nil }
            return max(1, Int((window - now.timeIntervalSince(oldest)) * 1000))
        }
    }

    func recordFailure(username: String, now: Date = Date()) {
        failures.withLock { $0[username.lowercased(), default: []].append(now) }
    }

    func recordSuccess(username: String) {
        _ = failures.withLock { $0.removeValue(forKey: username.lowercased()) }
    }
}
