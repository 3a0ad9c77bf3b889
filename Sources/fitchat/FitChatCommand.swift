import ArgumentParser
import FitChatProtocol
import Foundation

@main
struct FitChatCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fitchat",
        abstract: "A scriptable chat system: server, CLI, REPL and bot runner.",
        discussion: """
            Global options (--server, --profile, --json) go before or after the command: \
            'fitchat --profile work whoami' and 'fitchat whoami --profile work' are the same. \
            The commands are documented in docs/cli.md, bots in docs/bots.md.

            Exit codes: 0 ok, 1 refused by the server, 64 usage, 69 server unreachable, \
            75 temporary (rate limited, --timeout), 77 not logged in or not allowed, 78 configuration.
            """,
        version: FitChatVersion.current,
        subcommands: [
            ServeCommand.self,
            RegisterCommand.self, LoginCommand.self, LogoutCommand.self, WhoamiCommand.self, TokenCommand.self,
            RoomsCommand.self, SendCommand.self, TailCommand.self, HistoryCommand.self, ExportCommand.self, ReadCommand.self, UnreadCommand.self,
            EditCommand.self, DeleteCommand.self, ReactCommand.self, DownloadCommand.self,
            FriendsCommand.self, BlockCommand.self, UnblockCommand.self, BlocksCommand.self, SearchCommand.self,
            WebhookCommand.self, ReplCommand.self, BotCommand.self,
        ]
    )

    /// The entry point: standard descriptors made safe before anything opens one, global
    /// options taken before the command too, and every failure as `fitchat: ...` lines.
    static func main() async {
        StandardStreams.secure()
        let arguments = CommandLineArguments.hoistingGlobalOptions(Array(CommandLine.arguments.dropFirst()), root: self)
        do {
            var command = try parseAsRoot(arguments)
            if var command = command as? AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            exitReporting(error, arguments: arguments)
        }
    }
}

