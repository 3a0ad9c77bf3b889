import FitChatClient
import FitChatProtocol
import Foundation

/// One run of a bot in per-event mode: the event on stdin (then EOF), frames read from stdout
/// until it exits, killed past the handler timeout. Shared by `bot run --per-event` and `bot test`.
struct BotHandler: Sendable {
    let configuration: BotConfiguration
    let environment: [String: String]
    let log: BotLog
    let rooms: MessageRooms
    /// What a line goes through before it is parsed (`bot test`'s recorded ids).
    var prepare: @Sendable (String) -> String = { $0 }

    /// Runs the handler for `event` (from `room`); `frame` gets every frame it wrote.
    /// Returns how it ended and how many of its lines were not frames.
    func handle(_ event: String, room: RoomID?, frame: @escaping @Sendable (BotFrame) -> Void) async -> (exit: BotExit?, badLines: Int) {
        await withTaskGroup(of: Int.self) { group in
            let process: BotProcess
            do throws(ClientError) {
                process = try await BotProcess.launch(configuration, environment: environment, log: log, in: &group, returning: 0)
            } catch {
                log.note(error.description)
                return (nil, 0)
            }
            // A blocking write (the event may exceed the pipe buffer): on a thread of its own.
            Thread.detachNewThread {
                try? process.write(line: event)
                process.closeInput()
            }
            group.addTask {
                await BotLines.read(process.outputLines, rooms: rooms, fallbackRoom: room, log: log, prepare: prepare, frame: frame) { _, _ in }
            }
            let exit = await finish(process)
            let badLines = await group.reduce(0, +)
            return (exit, badLines)
        }
    }

    /// Waits for the exit; past the timeout, or when the task is cancelled, kills the handler.
    private func finish(_ process: BotProcess) async -> BotExit {
        await withTaskGroup(of: BotExit?.self) { group in
            group.addTask { await process.exit() }
            group.addTask {
                do {
                    try await Task.sleep(for: configuration.handlerTimeout)
                    log.note("handler \(process.pid) ran over \(configuration.handlerTimeout): killed")
                } catch {}
                process.signal(SIGKILL)
                return nil
            }
            while let next = await group.next() {
                if let exit = next {
                    group.cancelAll()
                    return exit
                }
            }
            return await process.exit()
        }
    }
}

/// Reading a bot's stdout: each line parsed into a frame or reported as bad output.
enum BotLines {
    /// Returns the number of bad lines; `bad` hears each with its line number.
    static func read(
        _ lines: AsyncStream<String>, rooms: MessageRooms, fallbackRoom: RoomID?, log: BotLog,
        prepare: (String) -> String = { $0 }, frame: (BotFrame) -> Void, bad: (BadOutput, Int) -> Void
    ) async -> Int {
        var number = 0
        var badLines = 0
        for await line in lines {
            number += 1
            switch BotOutput.parse(prepare(line), roomOf: { rooms.room(of: $0) ?? fallbackRoom }) {
            case nil:
                continue
            case .success(let parsed):
                frame(parsed)
            case .failure(let problem):
                badLines += 1
                log.note("bad output on line \(number): \(problem.message)")
                bad(problem, number)
            }
        }
        return badLines
    }
}
