import FitChatProtocol
import Synchronization

/// Who is typing where, until when. Typing is never stored; it expires on its own.
final class TypingTracker: Sendable {
    struct Key: Hashable, Sendable {
        var roomID: RoomID
        var userID: UserID
    }

    private struct Entry {
        var username: String
        var deadline: ContinuousClock.Instant
    }

    private let timeout: Duration
    private let entries = Mutex<[Key: Entry]>([:])

    init(timeout: Duration) {
        self.timeout = timeout
    }

    /// Starts or refreshes typing; true when the user was not typing before (broadcast it).
    func start(_ key: Key, username: String, now: ContinuousClock.Instant = .now) -> Bool {
        entries.withLock { entries in
            let isNew = entries[key] == nil
            entries[key] = Entry(username: username, deadline: now + timeout)
            return isNew
        }
    }

    /// Ends typing; true when the user was typing (broadcast the stop).
    func stop(_ key: Key) -> Bool {
        entries.withLock { $0.removeValue(forKey: key) != nil }
    }

    /// Ends the user's typing everywhere; returns the rooms where it ended.
    func stopAll(userID: UserID) -> [RoomID] {
        entries.withLock { entries in
            let keys = entries.keys.filter { $0.userID == userID }
            for key in keys { entries[key] = nil }
            return keys.map(\.roomID)
        }
    }

    /// Removes and returns what was not refreshed in time.
    func expire(now: ContinuousClock.Instant = .now) -> [(key: Key, username: String)] {
        entries.withLock { entries in
            let expired = entries.filter { $0.value.deadline <= now }
            for key in expired.keys { entries[key] = nil }
            return expired.map { ($0.key, $0.value.username) }
        }
    }
}
