/// Reconnection delays: exponential from `initial` up to `cap`, each scaled by a random factor in
/// [0.5, 1] so that clients dropped together do not return together.
public struct Backoff: Sendable {
    public var initial: Duration = .milliseconds(500)
    public var cap: Duration = .seconds(30)
    private(set) var attempt = 0

    public init(initial: Duration = .milliseconds(500), cap: Duration = .seconds(30)) {
        self.initial = initial
        self.cap = cap
    }

    /// The delay before the next attempt; each call doubles the base.
    public mutating func next() -> Duration {
        let base = min(cap, initial * Int(1 << min(attempt, 16)))
        attempt += 1
        return base * Double.random(in: 0.5...1.0)
    }

    /// After a connection that worked: the next failure starts from `initial` again.
    public mutating func reset() {
        attempt = 0
    }
}

extension Duration {
    /// `1.5 s`: how a delay reads in a status line.
    public var secondsText: String {
        let seconds = Double(components.seconds) + Double(components.attoseconds) / 1e18
        return String(format: "%.1f s", seconds)
    }
}
