import Foundation

/// How `fitchat bot run` runs a bot: which events it gets, how it is restarted, and its limits.
public struct BotConfiguration: Sendable, Equatable {
    /// The executable and its arguments.
    public var command: [String]
    public var name: String
    /// Rooms as the CLI names them (name, id or @user); empty means all of the bot user's rooms.
    public var rooms: [String] = []
    /// Event types passed to the bot; nil: every event (streaming) or `new_message` (per event).
    public var events: Set<String>?
    public var restart: RestartPolicy = .onFailure
    public var perEvent = false
    public var passToken = false
    /// Events held for a slow bot before the oldest are dropped.
    public var queueBound = 1_000
    /// Entries per room a restarted runner replays from where the bot left off; older ones are
    /// skipped with an `events_dropped` notice.
    public var replayLimit: Int64 = 1_000
    public var handlerTimeout: Duration = .seconds(10)
    public var concurrency = 4
    /// Between SIGTERM and SIGKILL when stopping a bot.
    public var grace: Duration = .seconds(5)
    /// Cron schedules that hand the bot a `timer` event when due, whatever `events` says.
    public var schedules: [CronSchedule] = []
    /// When not empty, only `new_message` events whose content starts with one of these words.
    public var commands: [String] = []
    /// Where the bot runs and its relative executable is found; nil: the runner's directory.
    public var workingDirectory: String?
    /// Added to the runner's environment for the bot.
    public var extraEnvironment: [String: String] = [:]

    public init(command: [String], name: String? = nil) {
        self.command = command
        self.name = name ?? Self.defaultName(command)
    }

    static let interpreters: Set<String> = ["sh", "bash", "zsh", "python", "python3", "node", "deno", "bun", "ruby", "perl", "php", "lua"]

    /// The script's name without extension: `python3 bots/dice.py` is "dice", `./echo.sh` "echo".
    static func defaultName(_ command: [String]) -> String {
        let program = command.first.map { URL(fileURLWithPath: $0).lastPathComponent } ?? "bot"
        let script = interpreters.contains(program) ? command.dropFirst().first { !$0.hasPrefix("-") } : command.first
        return script.map { URL(fileURLWithPath: $0).deletingPathExtension().lastPathComponent } ?? program
    }

    /// Runner plumbing that bots never see.
    static let plumbing: Set<String> = ["connection_established", "room_joined", "room_left", "pong"]

    /// A message passes `commands` when its content is one of them, or one and then whitespace
    /// (`!roll 2d6` passes `!roll`, `!rollback` does not).
    func passesCommands(_ content: String) -> Bool {
        commands.isEmpty || commands.contains { command in
            content.hasPrefix(command) && content.dropFirst(command.count).first.map(\.isWhitespace) != false
        }
    }

    func passes(_ type: String) -> Bool {
        if let events { return events.contains(type) }
        return perEvent ? type == "new_message" : !Self.plumbing.contains(type)
    }
}
