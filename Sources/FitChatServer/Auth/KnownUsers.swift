import FitChatProtocol
import Synchronization

/// Whether the user a token names exists here. A validly signed token can name a user this
/// database never had (another database with the same `JWT_SECRET_KEY`), so authentication
/// looks the user up. Users are never deleted, so one found is remembered (up to `capacity`,
/// then the memory starts over) and only unknown ids cost the store a read.
final class KnownUsers: Sendable {
    private let lookup: @Sendable (UserID) async throws -> Bool
    private let known = Mutex<Set<UserID>>([])
    private let capacity: Int

    init(capacity: Int = 100_000, lookup: @escaping @Sendable (UserID) async throws -> Bool) {
        self.capacity = capacity
        self.lookup = lookup
    }

    func exists(_ id: UserID) async throws -> Bool {
        if known.withLock({ $0.contains(id) }) { return true }
        guard try await lookup(id) else { return false }
        known.withLock { known in
            if known.count >= capacity { known.removeAll(keepingCapacity: true) }
            known.insert(id)
        }
        return true
    }
}
