import FitChatClient
import FitChatProtocol
import Foundation
import Synchronization

/// Where a bot left off in each room, kept across restarts of the bot and the runner. An entry
/// is begun when the runner takes it and finished once the bot was handed it (written to its
/// stdin, or its per-event handler ended); a room's cursor is the last `seq` before the
/// oldest entry still on its way, so a crash replays at most what was in flight.
final class BotCursors: Sendable {
    private struct Progress {
        var cursor: Int64
        var finished: Int64
        var inFlight: Set<Int64> = []
    }

    private let file: URL
    private let progress: Mutex<[RoomID: Progress]>

    /// Reads the cursors kept in `file` (none when it does not exist yet).
    init(file: URL) throws(ClientError) {
        self.file = file
        var stored: [RoomID: Progress] = [:]
        if let data = FileManager.default.contents(atPath: file.path) {
            guard let cursors = try? JSONDecoder().decode([String: Int64].self, from: data) else {
                throw .configuration("\(file.path) is not valid: remove it and the bot starts from each room's end")
            }
            for (room, seq) in cursors {
                if let id = RoomID(room) { stored[id] = Progress(cursor: seq, finished: seq) }
            }
        }
        progress = Mutex(stored)
    }

    func stored(_ roomID: RoomID) -> Int64? {
        progress.withLock { $0[roomID]?.cursor }
    }

    /// A room the bot never saw starts at `seq` (its end when the runner started), so what comes
    /// while the runner is down is replayed next time.
    func start(_ roomID: RoomID, at seq: Int64) {
        progress.withLock { rooms in
            guard rooms[roomID] == nil else { return }
            rooms[roomID] = Progress(cursor: seq, finished: seq)
            save(Dictionary(uniqueKeysWithValues: rooms.map { (String($0.key), $0.value.cursor) }))
        }
    }

    func begin(_ roomID: RoomID, seq: Int64) {
        progress.withLock { rooms in
            var room = rooms[roomID] ?? Progress(cursor: seq - 1, finished: seq - 1)
            room.inFlight.insert(seq)
            rooms[roomID] = room
        }
    }

    /// The bot has the entry (or will never get it: it was dropped or filtered out).
    func finish(_ roomID: RoomID, seq: Int64) {
        progress.withLock { rooms in
            guard var room = rooms[roomID] else { return }
            room.inFlight.remove(seq)
            room.finished = max(room.finished, seq)
            let cursor = room.inFlight.min().map { $0 - 1 } ?? room.finished
            let moved = cursor > room.cursor
            if moved { room.cursor = cursor }
            rooms[roomID] = room
            // Under the lock: two writers never race to put an older file in place.
            if moved { save(Dictionary(uniqueKeysWithValues: rooms.map { (String($0.key), $0.value.cursor) })) }
        }
    }

    /// Through a private temporary file and a rename, so a crash never leaves half a file.
    private func save(_ cursors: [String: Int64]) {
        guard let data = try? JSONEncoder().encode(cursors) else { return }
        try? ClientPaths.writePrivately(data, to: file)
    }
}
