/// What ends a bot process, as the runner logs it.
public enum BotExit: Sendable, Equatable, CustomStringConvertible {
    case code(Int32)
    case signal(Int32)

    /// As a shell reports it: the code, or 128 + the signal.
    public var status: Int32 {
        switch self {
        case .code(let code): code
        case .signal(let signal): 128 + signal
        }
    }

    public var description: String {
        switch self {
        case .code(let code): "exited with code \(code)"
        case .signal(let signal): "was killed by signal \(signal)"
        }
    }
}

/// `--restart`: when a bot that ended is started again.
public enum RestartPolicy: String, Sendable, CaseIterable {
    case onFailure = "on-failure"
    case always
    case never

    /// Exit 78 (configuration error) is final under every policy: restarting cannot fix it.
    static let configurationError: Int32 = 78

    /// Restart, or end the runner with this status.
    func restarts(after exit: BotExit) -> Bool {
        if exit == .code(Self.configurationError) { return false }
        switch self {
        case .always: return true
        case .never: return false
        case .onFailure: return exit != .code(0)
        }
    }
}

/// Restart delays: 1 s doubling to 60 s, back to 1 s after a run of 60 s or more.
struct RestartBackoff {
    static let first: Duration = .seconds(1)
    static let ceiling: Duration = .seconds(60)
    /// A run this long counts as healthy and resets the delay.
    static let healthyRun: Duration = .seconds(60)

    private var next = first

    mutating func delay(afterRunning ranFor: Duration) -> Duration {
        if ranFor >= Self.healthyRun { next = Self.first }
        defer { next = min(next * 2, Self.ceiling) }
        return next
    }
}
