import FitChatClient
import FitChatProtocol
import Foundation

/// Per-event mode: one handler process per event, at most `concurrency` at once, events of
/// one room strictly in order (a lane per room).
struct PerEventDispatcher: Sendable {
    let handler: BotHandler
    let concurrency: Int
    let cursors: BotCursors

    func run(_ control: AsyncStream<BotRunner.Control>, send: @escaping @Sendable (BotFrame) -> Void) async -> BotRunner.Outcome {
        let slots = HandlerSlots(count: concurrency)
        return await withTaskGroup(of: Void.self) { group in
            var lanes: [RoomID?: AsyncStream<(String, BotInbox.Position?)>.Continuation] = [:]
            defer {
                for lane in lanes.values { lane.finish() }
                group.cancelAll()
            }
            for await message in control {
                switch message {
                case .event(let event, let room, let position):
                    if lanes[room] == nil {
                        let (events, lane) = AsyncStream.makeStream(of: (String, BotInbox.Position?).self)
                        lanes[room] = lane
                        group.addTask { [cursors] in
                            for await (event, position) in events {
                                await slots.acquire()
                                let (exit, _) = await handler.handle(event, room: room, frame: send)
                                await slots.release()
                                if let position { cursors.finish(position.roomID, seq: position.seq) }
                                if let exit, exit != .code(0) { handler.log.note("handler \(exit)") }
                            }
                        }
                    }
                    lanes[room]?.yield((event, position))
                case .shutdown:
                    return .status(0)
                case .failed(let error):
                    return .failed(error)
                case .exited, .restartDue, .graceOver:
                    continue
                }
            }
            return .status(0)
        }
    }
}

/// A counting semaphore for handler processes.
actor HandlerSlots {
    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(count: Int) {
        free = max(1, count)
    }

    func acquire() async {
        if free > 0 {
            free -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty { free += 1 } else { waiting.removeFirst().resume() }
    }
}
