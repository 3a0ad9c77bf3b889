import FitChatClient
import FitChatProtocol
import Foundation
import Synchronization

/// Users and rooms created over REST for a run.
struct BenchWorld {
    let api: ChatAPI
    let tokens: [String]
    let userIDs: [UserID]

    static func make(server: String, users: Int) async throws -> BenchWorld {
        let api = try ChatAPI(server: ServerAddress(server), token: nil)
        let run = String(UUID().uuidString.prefix(6)).lowercased()
        var tokens: [String] = []
        var ids: [UserID] = []
        for index in 0..<users {
            let auth = try await api.register(RegisterRequest(username: "b\(run)u\(index)", password: "benchmark password"))
            tokens.append(auth.accessToken)
            ids.append(auth.user.id)
        }
        return BenchWorld(api: api, tokens: tokens, userIDs: ids)
    }

    /// A group room owned by `owner` with `members` (indices into the users).
    func room(owner: Int, members: [Int]) async throws -> RoomID {
        let api = try api.authenticated(with: tokens[owner])
        do {
            let room = try await api.createRoom(CreateRoomRequest(type: .group, name: "bench", participantIDs: members.map { userIDs[$0] }))
            await api.shutdown()
            return room.id
        } catch {
            await api.shutdown()
            throw error
        }
    }
}

/// When a run's sends begin (once every connection has joined its room) and when its
/// connections hang up (when the runner says so).
final class Schedule: Sendable {
    let joins: JoinCounter
    private let started = Mutex<UInt64?>(nil)
    private let ended = JoinCounter(target: 1)

    init(connections: Int) {
        joins = JoinCounter(target: connections)
    }

    /// The common start, 100 ms after the last join.
    func begin() async -> UInt64 {
        await joins.wait()
        return started.withLock { start in
            if start == nil { start = now() + 100_000_000 }
            return start!
        }
    }

    func finish() {
        ended.joined()
    }

    func awaitEnd() async {
        await ended.wait()
    }
}

/// Counts joins; every waiter resumes once the target is reached.
final class JoinCounter: Sendable {
    private let state: Mutex<(count: Int, target: Int, waiters: [CheckedContinuation<Void, Never>])>

    init(target: Int) {
        state = Mutex((0, target, []))
    }

    func joined() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.count += 1
            guard state.count >= state.target else { return [] }
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    func wait() async {
        await withCheckedContinuation { continuation in
            let done = state.withLock { state -> Bool in
                if state.count >= state.target { return true }
                state.waiters.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }
}
