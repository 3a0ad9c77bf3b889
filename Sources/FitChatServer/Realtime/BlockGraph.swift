import FitChatProtocol
import Synchronization

/// Who blocked whom, in memory: fan-out consults it for every delivery, so it never touches the
/// database on the hot path. The store stays the truth; this mirrors it.
final class BlockGraph: Sendable {
    private struct State {
        var blockedBy: [UserID: Set<UserID>] = [:]
        var blocking: [UserID: Set<UserID>] = [:]
    }

    private let state = Mutex(State())

    init(_ records: [BlockRecord]) {
        state.withLock { state in
            for record in records {
                state.blocking[record.blockerID, default: []].insert(record.blockedID)
                state.blockedBy[record.blockedID, default: []].insert(record.blockerID)
            }
        }
    }

    func add(blocker: UserID, blocked: UserID) {
        state.withLock { state in
            state.blocking[blocker, default: []].insert(blocked)
            state.blockedBy[blocked, default: []].insert(blocker)
        }
    }

    func remove(blocker: UserID, blocked: UserID) {
        state.withLock { state in
            state.blocking[blocker]?.remove(blocked)
            state.blockedBy[blocked]?.remove(blocker)
        }
    }

    /// The users `userID` has blocked: hidden from their history, search and live events.
    func blocked(by userID: UserID) -> Set<UserID> {
        state.withLock { $0.blocking[userID] ?? [] }
    }

    /// The users who blocked `userID`: they must not receive what `userID` does.
    func blockers(of userID: UserID) -> Set<UserID> {
        state.withLock { $0.blockedBy[userID] ?? [] }
    }

    func isBlocked(_ first: UserID, eitherWay second: UserID) -> Bool {
        state.withLock { ($0.blocking[first]?.contains(second) ?? false) || ($0.blocking[second]?.contains(first) ?? false) }
    }
}
