import ArgumentParser
import FitChatClient
import FitChatProtocol

struct HistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "A room's messages, oldest first.",
        discussion: "The last --limit messages (200 at most per page), or with --all the whole room, page by page (see also `fitchat export`)."
    )

    @Argument(help: "Room name, id or @user.", completion: Completions.rooms) var room: String
    @Option(help: "How many messages (1 to 200).") var limit = 50
    @Option(help: ArgumentHelp("Only messages before this seq (paging back).", valueName: "seq")) var before: Int64?
    @Flag(help: "Every message of the room, oldest first, however many.") var all = false
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        guard (1...200).contains(limit) else { throw ValidationError("--limit must be 1 to 200 (--all pages through the whole room)") }
        if all && before != nil { throw ValidationError("--all and --before do not go together") }
    }

    func run() async throws {
        try await runClient(global) { context throws(ClientError) in
            try await context.resolver.withRoom(room) { id throws(ClientError) in
                let show = { (messages: [ChatMessage]) in
                    let ids = ShortIDs(messages: messages)
                    for message in messages { context.output.emit(message, human: context.output.style.describe(message, ids: ids)) }
                }
                if all {
                    try await HistoryPages.each(in: id, after: 0, api: context.api, show)
                } else {
                    show(try await context.api.messages(in: id, beforeSeq: before, limit: limit))
                }
            }
        }
    }
}

struct ReadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "read", abstract: "Mark everything in a room read.")

    @Argument(help: "Room name, id or @user.", completion: Completions.rooms) var room: String
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await runClient(global) { context throws(ClientError) in
            let state = try await context.resolver.withRoom(room) { id throws(ClientError) in try await context.api.markRead(id) }
            if context.output.json { context.output.object(state) }
        }
    }
}

struct UnreadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unread", abstract: "Unread counts of the rooms that have any (for cron and status bars)."
    )

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await runClient(global) { context throws(ClientError) in
            for room in try await context.resolver.refreshRooms() where (room.unreadCount ?? 0) > 0 {
                let count = room.unreadCount ?? 0
                let name = room.type == .direct ? "@" + (room.name ?? "") : room.name ?? ShortIDs()[room.id]
                context.output.emit(UnreadCount(roomID: room.id, name: name, type: room.type, unreadCount: count), human: "\(name)\t\(count)")
            }
        }
    }
}

/// One line of `unread --json`: `name` as the human line shows it (`@ann` for a direct room).
struct UnreadCount: Encodable {
    let roomID: RoomID
    let name: String
    let type: RoomInfo.Kind
    let unreadCount: Int

    enum CodingKeys: String, CodingKey {
        case roomID = "room_id"
        case name, type
        case unreadCount = "unread_count"
    }
}
