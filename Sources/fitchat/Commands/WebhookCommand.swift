import ArgumentParser
import FitChatClient
import FitChatProtocol

struct WebhookCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webhook",
        abstract: "Incoming webhooks: URLs that post into a room, for tools that speak Slack's webhook JSON.",
        discussion: """
            Anything that posts Slack's incoming-webhook JSON (Alertmanager, Grafana, Uptime Kuma, CI) \
            or plain text to the URL posts a message from the hook, without a fitchat login. The URL \
            holds the hook's secret and is shown once, by create.

            EXAMPLES:
              fitchat webhook create ops alertmanager
              curl -s -d 'backup done' -H 'Content-Type: text/plain' "$URL"
              fitchat webhook list ops
              fitchat webhook delete ops alertmanager
            """,
        subcommands: [Create.self, List.self, Delete.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a hook and print its URL (shown only this once).")
        @Argument(help: "Room name, id or @user.", completion: Completions.rooms) var room: String
        @Argument(help: "The hook's name: its messages come from it.") var name: String
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await runClient(global) { context throws(ClientError) in
                let hook = try await context.resolver.withRoom(room) { id throws(ClientError) in
                    try await context.api.createWebhook(in: id, name: name)
                }
                context.output.emit(hook, human: hook.url ?? "")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "A room's hooks: name, id, when made.")
        @Argument(help: "Room name, id or @user.", completion: Completions.rooms) var room: String
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await runClient(global) { context throws(ClientError) in
                let hooks = try await context.resolver.withRoom(room) { id throws(ClientError) in try await context.api.webhooks(in: id) }
                let ids = ShortIDs(hooks.map(\.id))
                for hook in hooks {
                    context.output.emit(hook, human: "\(context.output.style.bold(hook.name))  id \(ids[hook.id])  \(context.output.style.dim(TextStyle.when(hook.createdAt)))")
                }
            }
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete a hook (its creator or the room's owner); its URL stops working.")
        @Argument(help: "Room name, id or @user.", completion: Completions.rooms) var room: String
        @Argument(help: "The hook: its name, id or a unique id prefix.") var hook: String
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await runClient(global) { context throws(ClientError) in
                let roomID = try await context.resolver.room(room)
                let hooks = try await context.api.webhooks(in: roomID)
                let prefix = ChatIDPrefix(hook)
                var matches = hooks.filter { $0.name == hook }
                if matches.isEmpty, let prefix { matches = hooks.filter { prefix.matches($0.id) } }
                guard matches.count == 1 else {
                    let ids = ShortIDs(hooks.map(\.id))
                    throw .unresolved(matches.isEmpty
                        ? "no hook '\(hook)' in this room ('fitchat webhook list' lists them)"
                        : "hook '\(hook)' is ambiguous: \(matches.map { "\(ids[$0.id]) (\($0.name))" }.joined(separator: ", ")); use the id")
                }
                try await context.api.deleteWebhook(matches[0].id, in: roomID)
                if !context.output.json { context.output.line("deleted hook \(matches[0].name)") }
            }
        }
    }
}
