import ArgumentParser
import FitChatClient
import FitChatProtocol

struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "A whole room as JSON Lines, oldest first, for archives and jq.",
        discussion: """
            Each line is one message in its current state: edited text with edited_at, deletions \
            as tombstones (deleted: true), reactions, replies. Read page by page, so a room of any \
            size exports in bounded memory. --since SEQ exports what came after SEQ only.

            EXAMPLES:
              fitchat export general > general.jsonl
              fitchat export ops --since 1200 | jq -r '.content'
            """
    )

    @Argument(help: "Room name, id or @user.", completion: Completions.rooms) var room: String
    @Option(help: ArgumentHelp("Only messages after this seq.", valueName: "seq")) var since: Int64 = 0
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        guard since >= 0 else { throw ValidationError("--since must not be negative") }
    }

    func run() async throws {
        try await runClient(global) { context throws(ClientError) in
            try await context.resolver.withRoom(room) { id throws(ClientError) in
                try await HistoryPages.each(in: id, after: since, api: context.api) { page in
                    for message in page { context.output.object(message) }
                }
            }
        }
    }
}

/// A room's whole history, oldest first, one page in memory at a time.
enum HistoryPages {
    static let pageSize = 200

    static func each(in roomID: RoomID, after seq: Int64, api: ChatAPI, _ body: ([ChatMessage]) -> Void) async throws(ClientError) {
        var cursor = seq
        while true {
            let page = try await api.messages(in: roomID, afterSeq: cursor, limit: pageSize)
            guard let last = page.last else { return }
            body(page)
            cursor = last.seq
            if page.count < pageSize { return }
        }
    }
}
