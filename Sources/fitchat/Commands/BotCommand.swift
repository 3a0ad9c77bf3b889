import ArgumentParser
import FitChatBots
import FitChatClient
import FitChatProtocol
import Foundation

struct BotCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bot",
        abstract: "Run any executable as a chat bot: JSON events on its stdin, JSON frames from its stdout.",
        subcommands: [RunBotCommand.self, ServeBotCommand.self, TestBotCommand.self]
    )
}

extension RestartPolicy: ExpressibleByArgument {}

/// What both `bot run` and `bot test` take.
struct BotOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Event types the bot gets, comma-separated (default: all; new_message with --per-event).", valueName: "types"))
    var events: String?
    @Flag(help: "Start the executable once per event (like CGI) instead of once.") var perEvent = false
    @Option(help: ArgumentHelp("The bot's name in logs and FITCHAT_BOT_NAME (default: the executable's).", valueName: "name"))
    var name: String?
    @Option(help: ArgumentHelp("Per-event mode: kill a handler after this many seconds.", valueName: "seconds")) var handlerTimeout = 10.0
    @Option(help: ArgumentHelp("Per-event mode: handlers running at once.", valueName: "n")) var concurrency = 4
    @Option(name: .customLong("command"), help: ArgumentHelp("Only messages starting with this word, e.g. !roll (repeatable).", valueName: "word"))
    var commands: [String] = []
    @Argument(parsing: .postTerminator, help: ArgumentHelp("The bot: -- EXECUTABLE [ARGS...]", valueName: "command"))
    var command: [String] = []

    func validate() throws {
        if command.isEmpty { throw ValidationError("name the bot after '--': fitchat bot run -- ./mybot.py") }
        if !(handlerTimeout > 0 && handlerTimeout <= 86_400) { throw ValidationError("--handler-timeout must be more than 0 and at most a day") }
        if concurrency < 1 { throw ValidationError("--concurrency must be at least 1") }
        if let events {
            let unknown = eventTypes(events).filter { !ServerEvent.typeNames.contains($0) }
            if !unknown.isEmpty {
                throw ValidationError("--events: no event type \(unknown.joined(separator: ", ")) (known: \(ServerEvent.typeNames.sorted().joined(separator: ", ")))")
            }
        }
        if commands.contains(where: { $0.isEmpty || $0.contains(where: \.isWhitespace) }) {
            throw ValidationError("--command takes one word, like --command '!roll'")
        }
    }

    private func eventTypes(_ list: String) -> [String] {
        list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    }

    func configuration() -> BotConfiguration {
        var configuration = BotConfiguration(command: command, name: name)
        configuration.events = events.map { Set(eventTypes($0)) }
        configuration.commands = commands
        configuration.perEvent = perEvent
        configuration.handlerTimeout = .milliseconds(Int(handlerTimeout * 1_000))
        configuration.concurrency = concurrency
        return configuration
    }
}

struct RunBotCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Keep a bot connected as this profile's user (the bot protocol: docs/bots.md).",
        discussion: """
            Streaming (default): one process reads every event as a JSON line and writes client \
            frames (or {"type":"reply",...}). It is restarted by --restart with backoff from 1 s \
            to 60 s; exit 78 is never restarted. SIGINT/SIGTERM stop it gently and exit 0. With no \
            --room it follows every room of its user, also rooms it joins while running. Where \
            the bot left off in each room is kept under the state directory: after a restart of \
            the runner it gets what arrived meanwhile (at most --replay-limit per room). \
            FITCHAT_BOT_STATE_DIR is a 0700 directory of the bot's own, kept across restarts.

            EXAMPLES:
              fitchat --profile greeter bot run -- ./hello.sh
              fitchat bot run --room games --events new_message -- python3 bots/dice.py
              fitchat bot run --per-event -- bots/echo.sh
            """
    )

    @Option(name: .customLong("room"), help: ArgumentHelp("A room to follow (repeatable; default: all of the user's rooms).", valueName: "room"),
            completion: Completions.rooms)
    var rooms: [String] = []
    @Option(help: "When to restart the bot: on-failure, always or never.") var restart: RestartPolicy = .onFailure
    @Flag(help: "Give the bot FITCHAT_TOKEN (it is withheld by default).") var passToken = false
    @Option(help: ArgumentHelp("Events held for a slow bot before the oldest are dropped.", valueName: "n")) var queueSize = 1_000
    @Option(help: ArgumentHelp("Entries per room replayed on start from where the bot left off; older ones are skipped with events_dropped.", valueName: "n"))
    var replayLimit = 1_000
    @Option(name: .customLong("schedule"), help: ArgumentHelp("A cron schedule (local time) that sends the bot a timer event (repeatable), e.g. \"0 9 * * 1-5\".", valueName: "schedule"))
    var schedules: [String] = []
    @OptionGroup var bot: BotOptions
    @OptionGroup var global: ConnectionOptions

    func validate() throws {
        if queueSize < 1 { throw ValidationError("--queue-size must be at least 1") }
        if replayLimit < 0 { throw ValidationError("--replay-limit must not be negative") }
    }

    func run() async throws {
        var status: Int32 = 0
        try await runClient(global, transport: .pooled) { context throws(ClientError) in
            var configuration = bot.configuration()
            configuration.rooms = rooms
            configuration.restart = restart
            configuration.passToken = passToken
            configuration.queueBound = queueSize
            configuration.replayLimit = Int64(replayLimit)
            configuration.schedules = try schedules.map { text throws(ClientError) in try CronSchedule(text) }
            status = try await BotRunner(api: context.api, store: context.store, configuration: configuration).run()
        }
        try passBotStatus(status)
    }
}

struct TestBotCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Feed recorded events (JSON Lines on stdin) to a bot with no server; print the frames it writes.",
        discussion: "Exits 0 only when the bot exits 0 and every line it wrote is a frame."
    )

    @Option(name: .customLong("timer"), help: ArgumentHelp("After the events, a timer event of this cron schedule (repeatable), e.g. \"0 9 * * 1-5\".", valueName: "schedule"))
    var timers: [String] = []
    @OptionGroup var bot: BotOptions

    func run() async throws {
        let schedules: [CronSchedule]
        do {
            schedules = try timers.map { text throws(ClientError) in try CronSchedule(text) }
        } catch {
            throw reported(error)
        }
        var events: [String] = []
        while let line = readLine(strippingNewline: true) { events.append(line) }
        let status: Int32
        do {
            status = try await BotTester(configuration: bot.configuration(), timers: schedules).run(events: events) { line in
                Output.standardOutput(Data((line + "\n").utf8))
            }
        } catch {
            throw reported(error)
        }
        try passBotStatus(status)
    }
}
