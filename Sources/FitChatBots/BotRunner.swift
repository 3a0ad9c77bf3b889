import FitChatClient
import FitChatProtocol
import Foundation
import UnixSignals

/// `fitchat bot run`: keeps a bot connected to the server as its user. The runner does the
/// session (reconnects and replays), sends (held on rate limits), restarts and shutdown; the
/// bot only reads events and writes frames, one JSON object per line.
public struct BotRunner: Sendable {
    let api: ChatAPI
    let store: ProfileStore
    let configuration: BotConfiguration
    let log: BotLog

    public init(api: ChatAPI, store: ProfileStore, configuration: BotConfiguration) {
        self.api = api
        self.store = store
        self.configuration = configuration
        log = BotLog(name: configuration.name)
    }

    /// What the runner's parts tell the one that owns the bot processes.
    enum Control: Sendable {
        case event(String, room: RoomID?, position: BotInbox.Position? = nil)
        case exited(BotExit, generation: Int)
        case restartDue
        case graceOver(generation: Int)
        case shutdown
        case failed(ClientError)
    }

    /// How a run ends: a status for the runner to exit with, or the session's fatal error.
    enum Outcome: Sendable {
        case status(Int32)
        case failed(ClientError)
    }

    /// Runs until SIGINT or SIGTERM (then 0), or until the restart policy lets the bot end
    /// (then its status).
    public func run() async throws(ClientError) -> Int32 {
        // Trapped before anything starts, so a signal that comes early still shuts down cleanly.
        try await run(until: await UnixSignalsSequence(trapping: .sigterm, .sigint))
    }

    /// Runs until `stop` yields anything (then stops the bot gently and returns 0), or until the
    /// restart policy lets the bot end (then its status).
    public func run<Stop: AsyncSequence & Sendable>(until stop: Stop) async throws(ClientError) -> Int32 where Stop.Failure == Never {
        signal(SIGPIPE, SIG_IGN)
        let me = try await api.me()
        let rooms = try await subscribedRooms()
        let directory = try store.botDirectory(configuration.name)
        let cursors = try BotCursors(file: directory.appendingPathComponent("cursors.json"))
        let (starts, skipped) = replayStarts(rooms, cursors: cursors)
        let session = ChatSession(api: api)
        let follower = RoomFollower(session: session, me: me.id, rooms: starts, followsNewRooms: configuration.rooms.isEmpty)
        let started = RunnerEvent.started(userID: me.id, username: me.username, rooms: rooms.map { ($0.id, $0.name) }).line
        let stateDirectory = directory.appendingPathComponent("state")
        try ClientPaths.ensurePrivateDirectory(stateDirectory)
        let environment = botEnvironment(me, stateDirectory: stateDirectory)
        let messageRooms = MessageRooms()
        let sender = FrameSender(session: session, api: api, log: log)
        let (control, controlSink) = AsyncStream.makeStream(of: Control.self)
        let (outgoing, outgoingSink) = AsyncStream.makeStream(of: BotFrame.self)
        let inbox = BotInbox(bound: configuration.queueBound) { cursors.finish($0.roomID, seq: $0.seq) }
        let perEvent = configuration.perEvent
        let timers = BotTimers(schedules: configuration.schedules, file: directory.appendingPathComponent("timers.json"), log: log)
        let pump = EventPump(
            configuration: configuration, me: me.id, sender: sender, rooms: messageRooms, follower: follower, log: log, cursors: cursors
        ) { raw, room, position in
            if perEvent { controlSink.yield(.event(raw, room: room, position: position)) } else { inbox.push(raw, position: position) }
        }
        for (roomID, count) in skipped {
            let notice = RunnerEvent.replayDropped(count, roomID: roomID).line
            if perEvent { controlSink.yield(.event(notice, room: roomID)) } else { inbox.pushUrgent(notice) }
        }

        let outcome = await withTaskGroup(of: Outcome?.self) { group in
            group.addTask {
                do throws(ClientError) { try await session.run() } catch { controlSink.yield(.failed(error)) }
                return nil
            }
            group.addTask {
                for await event in session.events { pump.handle(event) }
                return nil
            }
            group.addTask {
                for await envelope in outgoing { await sender.deliver(envelope) }
                return nil
            }
            group.addTask {
                for await _ in stop {
                    controlSink.yield(.shutdown)
                    break
                }
                return nil
            }
            group.addTask {
                await timers.run { schedule, due in
                    let rooms = follower.followedRooms.map { (id: $0.id, name: Optional($0.name)) }
                    let line = RunnerEvent.timer(schedule: schedule.expression, dueAt: due, rooms: rooms).line
                    if perEvent { controlSink.yield(.event(line, room: nil)) } else { inbox.pushUrgent(line) }
                }
                return nil
            }
            group.addTask {
                if perEvent {
                    let handler = BotHandler(configuration: configuration, environment: environment, log: log, rooms: messageRooms)
                    return await PerEventDispatcher(handler: handler, concurrency: configuration.concurrency, cursors: cursors).run(control) {
                        outgoingSink.yield($0)
                    }
                }
                let supervisor = BotSupervisor(
                    configuration: configuration, environment: environment, log: log, inbox: inbox, rooms: messageRooms, started: started
                )
                return await supervisor.run(control, controlSink: controlSink) { outgoingSink.yield($0) }
            }
            for await result in group {
                guard let result else { continue }
                group.cancelAll()
                return result
            }
            return Outcome.status(0)
        }
        switch outcome {
        case .status(let status): return status
        case .failed(let error): throw error
        }
    }

    private func subscribedRooms() async throws(ClientError) -> [RoomInfo] {
        let resolver = NameResolver(api: api, profile: store)
        var ids: [RoomID] = []
        for argument in configuration.rooms { ids.append(try await resolver.room(argument)) }
        let all = try await resolver.refreshRooms()
        return ids.isEmpty ? all : all.filter { ids.contains($0.id) }
    }

    /// Where each room's log is joined: past the bot's cursor, what arrived while it was down,
    /// at most `replayLimit` entries of it (how many were skipped, per room); the room's end
    /// for a room the bot never saw, which becomes its cursor.
    private func replayStarts(_ rooms: [RoomInfo], cursors: BotCursors) -> (starts: [(RoomInfo, Int64)], skipped: [(RoomID, Int64)]) {
        var skipped: [(RoomID, Int64)] = []
        let starts = rooms.map { room -> (RoomInfo, Int64) in
            guard let cursor = cursors.stored(room.id), cursor < room.lastSeq else {
                cursors.start(room.id, at: room.lastSeq)
                return (room, room.lastSeq)
            }
            let earliest = max(cursor, room.lastSeq - configuration.replayLimit)
            if earliest > cursor { skipped.append((room.id, earliest - cursor)) }
            return (room, earliest)
        }
        return (starts, skipped)
    }

    /// The runner's environment plus who the bot is; the token only with `--pass-token`.
    private func botEnvironment(_ me: UserInfo, stateDirectory: URL) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["FITCHAT_TOKEN"] = configuration.passToken ? api.token : nil
        environment["FITCHAT_SERVER"] = api.server.description
        environment["FITCHAT_USER_ID"] = String(me.id)
        environment["FITCHAT_USERNAME"] = me.username
        environment["FITCHAT_BOT_NAME"] = configuration.name
        environment["FITCHAT_BOT_STATE_DIR"] = stateDirectory.path
        environment.merge(configuration.extraEnvironment) { _, added in added }
        return environment
    }
}
