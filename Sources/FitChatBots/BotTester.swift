import FitChatClient
import FitChatProtocol
import Foundation
import Synchronization

/// `fitchat bot test`: replays recorded events (JSON Lines, e.g. from `fitchat tail --json`)
/// into a bot with no server, and prints every frame it wrote, one JSON line each. Exit 0 only
/// when the bot exited 0 and every line it wrote was a frame, so a bot's CI can rely on it.
public struct BotTester: Sendable {
    let configuration: BotConfiguration
    /// Schedules to fire once each after the recorded events, due at their next time from now.
    let timers: [CronSchedule]
    let log: BotLog

    public init(configuration: BotConfiguration, timers: [CronSchedule] = []) {
        self.configuration = configuration
        self.timers = timers
        log = BotLog(name: configuration.name)
    }

    public func run(events input: [String], print: @escaping @Sendable (String) -> Void) async throws(ClientError) -> Int32 {
        signal(SIGPIPE, SIG_IGN)
        let recordedEvents = input.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        let recorded = RecordedIDs(recording: recordedEvents)
        let rooms = MessageRooms()
        var roomIDs: [RoomID] = []
        for event in recordedEvents {
            guard let message = Self.message(in: event, recorded: recorded) else { continue }
            rooms.remember(message.id, in: message.room)
            if !roomIDs.contains(message.room) { roomIDs.append(message.room) }
        }
        let now = Date()
        let fired = timers.map { schedule in
            let due = schedule.nextFire(after: now, calendar: .current) ?? now
            return recorded.fromWire(RunnerEvent.timer(schedule: schedule.expression, dueAt: due, rooms: roomIDs.map { ($0, nil) }).line)
        }
        let events = recordedEvents + fired
        let username = ProcessInfo.processInfo.environment["FITCHAT_USERNAME"] ?? configuration.name
        var environment = ProcessInfo.processInfo.environment
        environment["FITCHAT_TOKEN"] = nil
        environment["FITCHAT_USERNAME"] = username
        environment["FITCHAT_USER_ID"] = environment["FITCHAT_USER_ID"] ?? Self.offlineUserID.uuidString
        environment["FITCHAT_BOT_NAME"] = configuration.name
        let emit: @Sendable (BotFrame) -> Void = { frame in
            let encoder = WireCoding.makeEncoder()
            let data = switch frame {
            case .frame(let envelope): try? encoder.encode(envelope)
            case .sendFile(let file, let id): try? encoder.encode(FileToSend.Line(id: id, data: file))
            }
            if let data { print(recorded.fromWire(String(decoding: data, as: UTF8.self))) }
        }
        if configuration.perEvent {
            let handler = BotHandler(configuration: configuration, environment: environment, log: log, rooms: rooms, prepare: recorded.toWire)
            var status: Int32 = 0
            for event in events where passes(event) {
                let (exit, badLines) = await handler.handle(event, room: Self.message(in: event, recorded: recorded)?.room, frame: emit)
                guard let exit else { return RestartPolicy.configurationError }
                if exit != .code(0) { log.note("handler \(exit)") }
                if status == 0 { status = exit != .code(0) ? exit.status : badLines > 0 ? 1 : 0 }
            }
            return status
        }
        var lines = events.filter(passes)
        if events.first.flatMap(Self.type(of:)) != "bot_started" {
            let userID = ChatID(environment["FITCHAT_USER_ID"] ?? "") ?? Self.offlineUserID
            lines.insert(recorded.fromWire(RunnerEvent.started(userID: userID, username: username, rooms: roomIDs.map { ($0, nil) }).line), at: 0)
        }
        return try await stream(lines, environment: environment, rooms: rooms, recorded: recorded, emit: emit)
    }

    /// Streaming mode: all events in, stdin closed, frames out until the bot exits.
    private func stream(
        _ lines: [String], environment: [String: String], rooms: MessageRooms, recorded: RecordedIDs,
        emit: @escaping @Sendable (BotFrame) -> Void
    ) async throws(ClientError) -> Int32 {
        let log = log
        let outcome = await withTaskGroup(of: Int.self) { group -> Result<(badLines: Int, exit: BotExit), ClientError> in
            let process: BotProcess
            do throws(ClientError) {
                process = try await BotProcess.launch(configuration, environment: environment, log: log, in: &group, returning: 0)
            } catch {
                return .failure(error)
            }
            Thread.detachNewThread {
                for line in lines {
                    do { try process.write(line: line) } catch { break }
                }
                process.closeInput()
            }
            group.addTask {
                await BotLines.read(process.outputLines, rooms: rooms, fallbackRoom: nil, log: log, prepare: recorded.toWire, frame: emit) { _, _ in }
            }
            let badLines = await group.reduce(0, +)
            return .success((badLines, await process.exit()))
        }
        let (badLines, exit) = try outcome.get()
        if exit != .code(0) { log.note("bot \(exit)") }
        return exit != .code(0) ? exit.status : badLines > 0 ? 1 : 0
    }

    private static func object(_ line: String) -> [String: Any]? {
        try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
    }

    static func type(of line: String) -> String? {
        object(line)?["type"] as? String
    }

    /// What the runner would hand the bot: `--events` and `--command` applied; timers and the
    /// runner's own events always.
    private func passes(_ line: String) -> Bool {
        guard let object = Self.object(line), let type = object["type"] as? String else { return false }
        if ["timer", "bot_started", "bot_reconnected", "events_dropped"].contains(type) { return true }
        guard configuration.passes(type) else { return false }
        guard type == "new_message" else { return true }
        let content = (object["data"] as? [String: Any])?["content"] as? String ?? ""
        return configuration.passesCommands(content)
    }

    /// The user a recording's bot runs as when none is given: no server, so the nil UUID.
    static let offlineUserID = ChatID(high: 0, low: 0)

    private static func message(in line: String, recorded: RecordedIDs) -> (id: MessageID, room: RoomID)? {
        guard let object = object(line), object["type"] as? String == "new_message", let data = object["data"] as? [String: Any],
              let id = recorded.id(data["id"]), let room = recorded.id(data["room_id"]) else { return nil }
        return (id, room)
    }
}
