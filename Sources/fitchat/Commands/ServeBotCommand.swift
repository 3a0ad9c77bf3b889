import ArgumentParser
import FitChatBots
import FitChatClient
import Foundation

struct ServeBotCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run every bot a TOML file lists, reloading it on SIGHUP or when it changes.",
        discussion: """
            Each [[bot]] of the file runs as 'fitchat bot run' would run it: its own process, \
            restarts, queue, cursors and state directory, its log lines prefixed with its name. \
            Keys: name, profile or token_file, command, rooms, mode, events, restart, env, \
            schedule, commands, pass_token, queue_size, replay_limit, handler_timeout, \
            concurrency (docs/bots.md). Relative paths are relative to the file, and bots run \
            in its directory. A reload restarts changed bots, starts new ones and stops removed \
            ones; the others keep running. A file that does not parse is refused with one line \
            naming the line and the key, and the running bots are kept. Exit 78 when the file \
            is invalid at start; 0 after SIGINT or SIGTERM.

            EXAMPLES:
              fitchat bot serve bots.toml
              kill -HUP <pid>        # reload now
            """
    )

    @Argument(help: "The bots file (TOML).", completion: .file(extensions: ["toml"])) var file: String
    @OptionGroup var global: ConnectionOptions

    func run() async throws {
        let options = global
        let fleet = BotFleet(file: URL(fileURLWithPath: file)) { account throws(ClientError) in
            let context = try options.context(for: account)
            return (context.api, context.store)
        }
        let status: Int32
        do {
            status = try await fleet.run()
        } catch {
            throw reported(error)
        }
        try passBotStatus(status)
    }
}
