import FitChatClient
import FitChatProtocol
import Foundation
import Synchronization

/// Users and rooms for a run: created over REST on fitchat; made up on the seed stack, which
/// takes any token it can verify and any string as a room.
struct BenchWorld {
    let api: ChatAPI?
    let tokens: [String]
    let userIDs: [UserID]

    static func make(on server: ServerUnderTest, users: Int) async throws -> BenchWorld {
        if server.kind == .seed {
            let ids = (0..<users).map { _ in UserID.random() }
            return BenchWorld(api: nil, tokens: ids.map { SeedStack.token(subject: $0.description) }, userIDs: ids)
        }
        let api = try ChatAPI(server: ServerAddress(server.url), token: nil)
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
        guard let api = try api?.authenticated(with: tokens[owner]) else { return RoomID.random() }
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

extension BenchWorld {
    func shutdown() async {
        await api?.shutdown()
    }
}

/// When a run's sends begin (once every connection has joined its room) and when its
/// connections hang up (when the runner says so).
final class Schedule: Sendable {
    let joins = Counter()
    private let connections: Int
    private let started = Mutex<UInt64?>(nil)
    private let ended = Counter()

    init(connections: Int) {
        self.connections = connections
    }

    /// The common start, 100 ms after the last join.
    func begin() async -> UInt64 {
        await joins.wait(for: connections)
        return started.withLock { start in
            if start == nil { start = now() + 100_000_000 }
            return start!
        }
    }

    func finish() {
        ended.add()
    }

    func awaitEnd() async {
        await ended.wait(for: 1)
    }
}

/// A count that tasks can wait on: each waiter resumes once the count reaches its target.
final class Counter: Sendable {
    private struct State {
        var count = 0
        var waiters: [(target: Int, continuation: CheckedContinuation<Void, Never>)] = []
    }

    private let state = Mutex(State())

    var value: Int { state.withLock { $0.count } }

    func add() {
        let ready = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.count += 1
            let count = state.count
            guard state.waiters.contains(where: { $0.target <= count }) else { return [] }
            defer { state.waiters.removeAll { $0.target <= count } }
            return state.waiters.filter { $0.target <= count }.map(\.continuation)
        }
        for waiter in ready { waiter.resume() }
    }

    func wait(for target: Int) async {
        await withCheckedContinuation { continuation in
            let reached = state.withLock { state -> Bool in
                if state.count >= target { return true }
                state.waiters.append((target, continuation))
                return false
            }
            if reached { continuation.resume() }
        }
    }
}

/// Monotonic nanoseconds, shared by every connection of this process.
func now() -> UInt64 {
    DispatchTime.now().uptimeNanoseconds
}

func waitUntil(_ deadline: UInt64) async throws {
    let current = now()
    if deadline > current { try await Task.sleep(nanoseconds: deadline - current) }
}
