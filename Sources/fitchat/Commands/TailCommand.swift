import ArgumentParser
import FitChatClient
import FitChatProtocol
import Foundation

struct TailCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tail",
        abstract: "Follow the live events of rooms (all of yours if none is named).",
        discussion: """
            Reconnects by itself and replays what it missed. Each message printed moves this \
            profile's cursor, so '--since-last' resumes exactly there. With --count and --timeout, \
            reaching the timeout first exits 75. With no ROOM it follows every room of yours, also \
            rooms you join while it runs. Human output leaves receipts out unless --events asks.

            EXAMPLES:
              fitchat tail                                   # everything, for people
              fitchat tail alerts --json | jq -r 'select(.type=="new_message") | .data.content'
              fitchat tail --since-last --count 10 --timeout 30
              fitchat tail general --history 20
            """
    )

    /// Session plumbing, not events: printed only when `--events` asks for them.
    static let plumbing: Set<String> = ["connection_established", "room_joined", "room_left", "pong", "message_sent"]
    /// Left out of human output unless `--events` asks for them: a busy room would be mostly receipts.
    static let receipts: Set<String> = ["message_read_receipt", "message_delivered"]

    @Argument(help: "Room names, ids or @users.", completion: Completions.rooms) var rooms: [String] = []
    @Option(help: ArgumentHelp("First print the last N messages of each room.", valueName: "n")) var history: Int?
    @Flag(help: "Resume where the last tail of this profile stopped, missing nothing.") var sinceLast = false
    @Option(help: ArgumentHelp("Only these event types, comma-separated (e.g. new_message,typing_indicator).", valueName: "types"))
    var events: String?
    @Option(help: ArgumentHelp("Exit after printing N events.", valueName: "n")) var count: Int?
    @Option(help: ArgumentHelp("Stop after this many seconds.", valueName: "seconds")) var timeout: Double?
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if let history, !(1...200).contains(history) { throw ValidationError("--history must be 1 to 200") }
        if let count, count < 1 { throw ValidationError("--count must be at least 1") }
        if let timeout, !(timeout > 0 && timeout <= 86_400 * 365) { throw ValidationError("--timeout must be more than 0 and at most a year") }
        if sinceLast && history != nil { throw ValidationError("--since-last and --history both choose where to start: give one") }
        if let events {
            let unknown = events.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !ServerEvent.typeNames.contains($0) }
            if !unknown.isEmpty {
                throw ValidationError("--events: no event type \(unknown.joined(separator: ", ")) (known: \(ServerEvent.typeNames.sorted().joined(separator: ", ")))")
            }
        }
    }

    func run() async throws {
        try await runClient(global, transport: .pooled) { context throws(ClientError) in
            let follower = try await TailFollower(command: self, context: context)
            try await follower.follow()
        }
    }
}

/// One `tail` run: picks the rooms and where each starts, then prints session events.
private struct TailFollower {
    let context: CommandContext
    let wanted: Set<String>?
    let count: Int?
    let timeout: Double?
    /// Messages `--history` printed; they count towards `--count`.
    let printedHistory: Int
    let session: ChatSession
    let rooms: RoomFollower
    let wording: EventWording

    init(command: TailCommand, context: CommandContext) async throws(ClientError) {
        self.context = context
        count = command.count
        timeout = command.timeout
        wanted = command.events.map { Set($0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }) }
        // Resolved first: `@user` may create the direct room, which the list must then include.
        var ids: [(argument: String, id: RoomID)] = []
        for argument in command.rooms { ids.append((argument, try await context.resolver.room(argument))) }
        let me = try await context.api.me()
        let all = try await context.resolver.refreshRooms()
        var selected: [RoomInfo] = all
        if !ids.isEmpty {
            selected = []
            for (argument, id) in ids {
                guard let room = all.first(where: { $0.id == id }) else { throw .refused(code: .notAMember, message: "you are not in room \(argument)", retryAfterMs: nil) }
                selected.append(room)
            }
        }
        let cursors = context.store.tailCursors()
        var starts: [(room: RoomInfo, after: Int64)] = []
        var printedHistory = 0
        for room in selected {
            if command.sinceLast {
                starts.append((room, cursors[room.id] ?? room.lastSeq))
            } else if let history = command.history {
                let recent = try await context.api.messages(in: room.id, limit: history)
                starts.append((room, recent.last?.seq ?? room.lastSeq))
                for message in recent.suffix(max(0, (count ?? Int.max) - printedHistory)) {
                    Self.print(message, raw: nil, roomName: Self.name(of: room), context: context)
                    printedHistory += 1
                }
            } else {
                starts.append((room, room.lastSeq))
            }
        }
        self.printedHistory = printedHistory
        session = ChatSession(api: context.api)
        rooms = RoomFollower(session: session, me: me.id, rooms: starts, followsNewRooms: command.rooms.isEmpty)
        wording = EventWording(rooms: rooms, me: me.id)
    }

    private static func name(of room: RoomInfo) -> String {
        (room.type == .direct ? "@" : "") + (room.name ?? ShortIDs()[room.id])
    }

    func follow() async throws(ClientError) {
        if let count, printedHistory >= count { return }
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await session.run() }
                group.addTask { try await printEvents() }
                if let timeout {
                    group.addTask {
                        try await Task.sleep(for: .seconds(timeout))
                        throw TailEnd.timedOut
                    }
                }
                try await group.next()
                group.cancelAll()
            }
        } catch let error as ClientError {
            throw error
        } catch TailEnd.timedOut {
            if let count { throw .timedOut("timed out after \(timeout ?? 0) s before \(count) events arrived") }
        } catch {
            throw .protocolViolation("tail stopped: \(error)")
        }
    }

    private enum TailEnd: Error { case timedOut }

    /// Prints until `--count` events were printed (returns) or the session ends.
    private func printEvents() async throws {
        var printed = printedHistory
        var cursors = context.store.tailCursors()
        for await event in session.events {
            switch event {
            case .connected:
                continue
            case .disconnected(let reason, let retryIn):
                Output.error("\(reason); reconnecting in \(retryIn.secondsText)")
                continue
            case .frame(let envelope, let raw):
                if case .error(let error) = envelope.event, error.requestType == "join_room" {
                    throw ClientError.refused(code: error.code, message: error.message, retryAfterMs: nil)
                }
                rooms.observe(envelope.event)
                let type = envelope.event.type
                if let wanted {
                    guard wanted.contains(type) else { continue }
                } else if TailCommand.plumbing.contains(type) || (!context.output.json && TailCommand.receipts.contains(type)) {
                    continue
                }
                if let position = envelope.event.roomPosition {
                    guard rooms.follows(position.roomID) else { continue }
                    // Edits, deletions and reactions are entries of the room's log too:
                    // --since-last resumes after the last one printed.
                    cursors[position.roomID] = max(cursors[position.roomID] ?? 0, position.seq)
                    try context.store.saveTailCursors(cursors)
                }
                if case .newMessage(let message) = envelope.event {
                    Self.print(message, raw: raw, roomName: rooms.name(of: message.roomID), context: context)
                } else {
                    if context.output.json {
                        context.output.line(raw)
                    } else {
                        context.output.line(context.output.style.dim(wording.describe(envelope.event) ?? type))
                    }
                }
                printed += 1
                if let count, printed >= count { return }
            }
        }
    }

    private static func print(_ message: ChatMessage, raw: String?, roomName: String?, context: CommandContext) {
        if context.output.json {
            if let raw { context.output.line(raw) } else { context.output.object(ServerEnvelope(.newMessage(message))) }
        } else {
            context.output.line(context.output.style.describe(message, room: roomName))
        }
    }
}
