import FitChatProtocol
import Prometheus
import Synchronization

/// A token bucket per user, shared by all of that user's connections and REST calls.
final class RateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updatedAt: ContinuousClock.Instant
    }

    private let burst: Double
    private let refillPerSecond: Double
    private let buckets = Mutex<[UserID: Bucket]>([:])
    private let refusals: Counter

    init(burst: Int, refillPerSecond: Double, refusals: Counter) {
        self.burst = Double(burst)
        self.refillPerSecond = refillPerSecond
        self.refusals = refusals
    }

    /// Takes one token, or says how long until one is available.
    func acquire(for userID: UserID, now: ContinuousClock.Instant = .now) throws(ServerError) {
        let waitMs: Int? = buckets.withLock { buckets in
            var bucket = buckets[userID] ?? Bucket(tokens: burst, updatedAt: now)
            let elapsed = now - bucket.updatedAt
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            bucket.tokens = min(burst, bucket.tokens + seconds * refillPerSecond)
            bucket.updatedAt = now
            defer { buckets[userID] = bucket }
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                return nil
            }
            return max(1, Int(((1 - bucket.tokens) / refillPerSecond * 1000).rounded(.up)))
        }
        if let waitMs {
            refusals.increment()
            throw .rateLimited(retryAfterMs: waitMs)
        }
    }
}
