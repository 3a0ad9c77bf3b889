/// What a script expects of a rate limit: to be waited out, not to lose the line. A call the
/// server refused with `rate_limited` is made again after `retry_after_ms` (nothing was stored,
/// so this never posts twice), until `deadline` if there is one; past it, `timedOut`.
public enum RateLimitWait {
    public static func call<T>(
        until deadline: ContinuousClock.Instant?, _ body: () async throws(ClientError) -> T
    ) async throws(ClientError) -> T {
        while true {
            do {
                return try await body()
            } catch .refused(.rateLimited, let message, let retryAfterMs) {
                let wait = Duration.milliseconds(max(10, retryAfterMs ?? 1000))
                if let deadline, ContinuousClock.now + wait > deadline {
                    throw .timedOut("rate limited (\(message)) and the deadline comes first")
                }
                do { try await Task.sleep(for: wait) } catch { throw .timedOut("cancelled while waiting out the rate limit") }
            }
        }
    }
}
