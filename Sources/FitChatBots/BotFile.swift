import FitChatClient
import FitChatProtocol
import Foundation
import TOMLKit

/// Who a bot of a bots file runs as.
public enum BotAccount: Sendable, Equatable {
    /// A fitchat profile: its server and saved token.
    case profile(String)
    /// A file holding the token (mode 0600); the server of the supervisor's profile.
    case tokenFile(String)
    /// The supervisor's own profile, as `--profile` and FITCHAT_PROFILE choose it.
    case supervisor
}

/// One `[[bot]]` of a bots file: who it runs as, and how, as `bot run` would run it.
public struct BotEntry: Sendable, Equatable {
    public var account: BotAccount
    public var configuration: BotConfiguration

    public var name: String { configuration.name }
}

/// A bots file (`fitchat bot serve FILE`): TOML, one `[[bot]]` table per bot. Everything is
/// checked before anything runs; a problem is one line naming the line and the key.
public enum BotFile {
    static let keys: Set<String> = [
        "name", "profile", "token_file", "command", "rooms", "mode", "events", "restart", "env", "schedule", "commands",
        "pass_token", "queue_size", "replay_limit", "handler_timeout", "concurrency",
    ]

    /// Reads and checks the file; relative paths in it are relative to its directory.
    public static func load(_ file: URL) throws(ClientError) -> [BotEntry] {
        let text: String
        do {
            text = try String(contentsOf: file, encoding: .utf8)
        } catch {
            throw .configuration("\(file.path): cannot read it (\(error.localizedDescription))")
        }
        return try parse(text, name: file.path, directory: file.deletingLastPathComponent().path)
    }

    /// Parses `text`, naming it `name` in errors.
    public static func parse(_ text: String, name: String, directory: String) throws(ClientError) -> [BotEntry] {
        let lines = KeyLines(text)
        func problem(_ line: Int, _ key: String?, _ message: String) -> ClientError {
            .configuration("\(name):\(line): \(key.map { "key '\($0)': " } ?? "")\(message)")
        }
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw problem(error.source.begin.line, nil, error.description)
        } catch {
            throw problem(1, nil, "\(error)")
        }
        if let unknown = table.keys.sorted().first(where: { $0 != "bot" }) {
            throw problem(lines.line(of: unknown, inBot: nil), unknown, "unknown key (a bots file has [[bot]] tables only)")
        }
        guard let list = table["bot"] else { throw problem(1, nil, "no [[bot]] table: nothing to run") }
        guard let bots = list.array else { throw problem(lines.line(of: "bot", inBot: nil), "bot", "must be [[bot]] tables, one per bot") }
        var entries: [BotEntry] = []
        for (index, value) in bots.enumerated() {
            guard let bot = value.table else { throw problem(lines.line(of: "bot", inBot: nil), "bot", "must be [[bot]] tables, one per bot") }
            let entry: BotEntry
            do throws(EntryProblem) {
                entry = try self.entry(bot, directory: directory)
            } catch {
                throw problem(error.key.map { lines.line(of: $0, inBot: index) } ?? lines.header(ofBot: index), error.key, error.message)
            }
            if entries.contains(where: { $0.name == entry.name }) {
                throw problem(lines.line(of: "name", inBot: index), "name", "\"\(entry.name)\" names two bots: each needs a name of its own")
            }
            entries.append(entry)
        }
        return entries
    }

    private struct EntryProblem: Error {
        let key: String?
        let message: String
    }

    private static func entry(_ bot: TOMLTable, directory: String) throws(EntryProblem) -> BotEntry {
        if let unknown = bot.keys.sorted().first(where: { !keys.contains($0) }) {
            throw EntryProblem(key: unknown, message: "unknown key (known: \(keys.sorted().joined(separator: ", ")))")
        }
        let fields = Fields(table: bot)
        guard let name = try fields.string("name") else { throw EntryProblem(key: nil, message: "this [[bot]] has no name") }
        guard name.range(of: #"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"#, options: .regularExpression) != nil else {
            throw EntryProblem(key: "name", message: "\"\(name)\" must be letters, digits, '.', '_' or '-' (it names a directory)")
        }
        let command = try fields.strings("command", orOne: true) ?? []
        guard !command.isEmpty, !command[0].isEmpty else { throw EntryProblem(key: bot.contains(key: "command") ? "command" : nil, message: "bot \"\(name)\" has no command") }
        var configuration = BotConfiguration(command: command, name: name)
        configuration.workingDirectory = directory
        configuration.rooms = try fields.strings("rooms") ?? []
        switch try fields.string("mode") ?? "streaming" {
        case "streaming": configuration.perEvent = false
        case "per-event": configuration.perEvent = true
        case let other: throw EntryProblem(key: "mode", message: "must be \"streaming\" or \"per-event\", not \"\(other)\"")
        }
        if let events = try fields.strings("events") {
            if let unknown = events.first(where: { !ServerEvent.typeNames.contains($0) }) {
                throw EntryProblem(key: "events", message: "no event type \"\(unknown)\" (known: \(ServerEvent.typeNames.sorted().joined(separator: ", ")))")
            }
            configuration.events = Set(events)
        }
        if let restart = try fields.string("restart") {
            guard let policy = RestartPolicy(rawValue: restart) else {
                throw EntryProblem(key: "restart", message: "must be one of \(RestartPolicy.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")), not \"\(restart)\"")
            }
            configuration.restart = policy
        }
        configuration.extraEnvironment = try fields.stringTable("env") ?? [:]
        for expression in try fields.strings("schedule", orOne: true) ?? [] {
            do throws(ClientError) {
                configuration.schedules.append(try CronSchedule(expression))
            } catch {
                throw EntryProblem(key: "schedule", message: error.description)
            }
        }
        configuration.commands = try fields.strings("commands", orOne: true) ?? []
        if configuration.commands.contains(where: { $0.isEmpty || $0.contains(where: \.isWhitespace) }) {
            throw EntryProblem(key: "commands", message: "each command is one word, like \"!standup\"")
        }
        configuration.passToken = try fields.bool("pass_token") ?? false
        configuration.queueBound = try fields.integer("queue_size", in: 1...1_000_000) ?? configuration.queueBound
        configuration.replayLimit = Int64(try fields.integer("replay_limit", in: 0...1_000_000_000) ?? Int(configuration.replayLimit))
        configuration.concurrency = try fields.integer("concurrency", in: 1...1_000) ?? configuration.concurrency
        if let timeout = try fields.seconds("handler_timeout") { configuration.handlerTimeout = timeout }
        let account: BotAccount
        switch (try fields.string("profile"), try fields.string("token_file")) {
        case (.some, .some): throw EntryProblem(key: "token_file", message: "give profile or token_file, not both")
        case (.some(let profile), nil): account = .profile(profile)
        case (nil, .some(let path)): account = .tokenFile(path.hasPrefix("/") ? path : URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: directory, isDirectory: true)).path)
        case (nil, nil): account = .supervisor
        }
        return BotEntry(account: account, configuration: configuration)
    }

    /// Typed reads of one table's keys, each problem naming the key.
    private struct Fields {
        let table: TOMLTable

        func string(_ key: String) throws(EntryProblem) -> String? {
            guard let value = table[key] else { return nil }
            guard let string = value.string else { throw EntryProblem(key: key, message: "must be a string, not \(Self.kind(value))") }
            return string
        }

        func strings(_ key: String, orOne: Bool = false) throws(EntryProblem) -> [String]? {
            guard let value = table[key] else { return nil }
            if orOne, let one = value.string { return [one] }
            guard let array = value.array else { throw EntryProblem(key: key, message: "must be a list of strings, not \(Self.kind(value))") }
            var strings: [String] = []
            for item in array {
                guard let string = item.string else { throw EntryProblem(key: key, message: "must be a list of strings; one item is \(Self.kind(item))") }
                strings.append(string)
            }
            return strings
        }

        func stringTable(_ key: String) throws(EntryProblem) -> [String: String]? {
            guard let value = table[key] else { return nil }
            guard let inner = value.table else { throw EntryProblem(key: key, message: "must be a table of strings, like { NAME = \"value\" }") }
            var result: [String: String] = [:]
            for name in inner.keys {
                guard let string = inner[name]?.string else { throw EntryProblem(key: key, message: "\(name) must be a string") }
                result[name] = string
            }
            return result
        }

        func bool(_ key: String) throws(EntryProblem) -> Bool? {
            guard let value = table[key] else { return nil }
            guard let bool = value.bool else { throw EntryProblem(key: key, message: "must be true or false, not \(Self.kind(value))") }
            return bool
        }

        func integer(_ key: String, in range: ClosedRange<Int>) throws(EntryProblem) -> Int? {
            guard let value = table[key] else { return nil }
            guard let number = value.int, range.contains(number) else {
                throw EntryProblem(key: key, message: "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
            }
            return number
        }

        func seconds(_ key: String) throws(EntryProblem) -> Duration? {
            guard let value = table[key] else { return nil }
            guard let seconds = value.double ?? value.int.map(Double.init), seconds > 0, seconds <= 86_400 else {
                throw EntryProblem(key: key, message: "must be a number of seconds, more than 0 and at most a day")
            }
            return .milliseconds(Int((seconds * 1_000).rounded()))
        }

        private static func kind(_ value: any TOMLValueConvertible) -> String {
            switch value.type {
            case .string: "a string"
            case .int: "a number"
            case .double: "a number"
            case .bool: "true or false"
            case .array: "a list"
            case .table: "a table"
            default: "a date or time"
            }
        }
    }
}

/// Where keys sit in the file's text, which TOMLKit does not say of a value it parsed: the
/// `[[bot]]` headers, and a key's line inside one of them.
private struct KeyLines {
    private let lines: [Substring]
    /// The 1-based line of each `[[bot]]` header, in order.
    private let headers: [Int]

    init(_ text: String) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        self.lines = lines
        headers = lines.indices.filter { lines[$0].range(of: #"^\s*\[\[\s*bot\s*\]\]"#, options: .regularExpression) != nil }.map { $0 + 1 }
    }

    func header(ofBot index: Int) -> Int {
        index < headers.count ? headers[index] : 1
    }

    /// The line where `key` is set inside the `index`th bot (anywhere when nil or not found).
    func line(of key: String, inBot index: Int?) -> Int {
        let escaped = NSRegularExpression.escapedPattern(for: key)
        let pattern = #"^\s*(\#(escaped)|"\#(escaped)")\s*[=.]"#
        var range = lines.indices
        if let index, index < headers.count {
            let end = index + 1 < headers.count ? headers[index + 1] - 1 : lines.count
            range = (headers[index] - 1)..<end
        }
        if let found = range.first(where: { lines[$0].range(of: pattern, options: .regularExpression) != nil }) { return found + 1 }
        if key == "bot", let first = headers.first { return first }
        return index.map(header(ofBot:)) ?? 1
    }
}
