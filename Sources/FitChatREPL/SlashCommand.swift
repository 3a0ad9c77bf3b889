import Foundation

/// A line typed at the prompt, understood: text for the current room or a slash command.
enum SlashCommand: Equatable {
    case say(String)
    case join(String)
    case rooms
    case message(user: String, text: String)
    case history(Int)
    case who
    case friends
    case block(String)
    case search(String)
    case read
    /// `/edit [ID] TEXT`: your last message here, or the one whose id begins with ID.
    case edit(message: String?, text: String)
    case delete(message: String?)
    case react(emoji: String, message: String?, on: Bool)
    /// `/upload PATH [CAPTION]`: share a file in the current room.
    case upload(path: String, caption: String)
    case help
    case quit

    /// Acts on the room's newest message, or on my newest, which a send not yet acknowledged
    /// would change: `/edit`, `/delete` and `/react` without an id.
    var actsOnTheNewestMessage: Bool {
        switch self {
        case .edit(nil, _), .delete(nil), .react(_, nil, _): true
        default: false
        }
    }

    /// One command's spelling, for `/help`, Tab and the hints.
    struct Usage {
        let name: String
        let arguments: String
        let summary: String

        var line: String { arguments.isEmpty ? name : "\(name) \(arguments)" }
    }

    static let usages = [
        Usage(name: "/join", arguments: "ROOM", summary: "switch to a room (name, id or @user)"),
        Usage(name: "/rooms", arguments: "", summary: "your rooms, with unread counts"),
        Usage(name: "/msg", arguments: "USER TEXT", summary: "send a direct message"),
        Usage(name: "/history", arguments: "[N]", summary: "the last N messages here (default 20)"),
        Usage(name: "/who", arguments: "", summary: "who is in this room, and who is online"),
        Usage(name: "/friends", arguments: "", summary: "your friends, and who is online"),
        Usage(name: "/block", arguments: "USER", summary: "stop seeing a user"),
        Usage(name: "/search", arguments: "TEXT", summary: "search the messages of your rooms"),
        Usage(name: "/read", arguments: "", summary: "mark this room read"),
        Usage(name: "/edit", arguments: "[ID] TEXT", summary: "change your last message here (or message ID)"),
        Usage(name: "/delete", arguments: "[ID]", summary: "delete your last message here (or message ID)"),
        Usage(name: "/react", arguments: "EMOJI [ID]", summary: "react to the last message here (or message ID)"),
        Usage(name: "/unreact", arguments: "EMOJI [ID]", summary: "take a reaction back"),
        Usage(name: "/upload", arguments: "PATH [TEXT]", summary: "share a file here, with an optional caption"),
        Usage(name: "/help", arguments: "", summary: "this list"),
        Usage(name: "/quit", arguments: "", summary: "leave (Ctrl-D too)"),
    ]

    /// The command on `line`, or a one-line hint saying what is wrong with it. Blank lines are
    /// nil; `//text` sends `/text`.
    static func parse(_ line: String) -> Result<SlashCommand, Hint>? {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return nil }
        if trimmed.hasPrefix("//") { return .success(.say(String(line.drop { $0 == " " }.dropFirst()))) }
        guard trimmed.hasPrefix("/") else { return .success(.say(line)) }
        let parts = trimmed.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        let name = String(parts[0])
        let rest = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
        guard let usage = usages.first(where: { $0.name == name }) else {
            return .failure(Hint("unknown command \(name): /help lists them"))
        }
        let command: SlashCommand? = switch name {
        case "/join": rest.isEmpty || rest.contains(" ") ? nil : .join(rest)
        case "/rooms": rest.isEmpty ? .rooms : nil
        case "/msg": Self.message(rest)
        case "/history": rest.isEmpty ? .history(20) : Int(rest).flatMap { (1...200).contains($0) ? .history($0) : nil }
        case "/who": rest.isEmpty ? .who : nil
        case "/friends": rest.isEmpty ? .friends : nil
        case "/block": rest.isEmpty || rest.contains(" ") ? nil : .block(rest)
        case "/search": rest.isEmpty ? nil : .search(rest)
        case "/read": rest.isEmpty ? .read : nil
        case "/edit": Self.edit(rest)
        case "/delete": rest.contains(" ") ? nil : .delete(message: rest.isEmpty ? nil : rest)
        case "/react", "/unreact": Self.reaction(rest, on: name == "/react")
        case "/upload": Self.upload(rest)
        case "/help": .help
        default: .quit
        }
        guard let command else { return .failure(Hint("usage: \(usage.line)")) }
        return .success(command)
    }

    /// The first word names the message when it looks like an id (8 or more hex digits, as
    /// listings print them); otherwise all of it is the new text.
    private static func edit(_ rest: String) -> SlashCommand? {
        guard !rest.isEmpty else { return nil }
        let parts = rest.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        if parts.count == 2, looksLikeID(parts[0]) { return .edit(message: String(parts[0]), text: String(parts[1])) }
        return .edit(message: nil, text: rest)
    }

    private static func reaction(_ rest: String, on: Bool) -> SlashCommand? {
        let parts = rest.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard (1...2).contains(parts.count) else { return nil }
        return .react(emoji: parts[0], message: parts.count == 2 ? parts[1] : nil, on: on)
    }

    private static func upload(_ rest: String) -> SlashCommand? {
        let parts = rest.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard let path = parts.first else { return nil }
        return .upload(path: NSString(string: String(path)).expandingTildeInPath, caption: parts.count > 1 ? String(parts[1]) : "")
    }

    static func looksLikeID(_ word: Substring) -> Bool {
        let digits = word.filter { $0 != "-" }
        return digits.count >= 8 && digits.allSatisfy(\.isHexDigit)
    }

    private static func message(_ rest: String) -> SlashCommand? {
        let parts = rest.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2 else { return nil }
        let user = parts[0].hasPrefix("@") ? String(parts[0].dropFirst()) : String(parts[0])
        return user.isEmpty ? nil : .message(user: user, text: String(parts[1]))
    }
}

/// What the person got wrong, in one line.
struct Hint: Error, Equatable {
    let text: String

    init(_ text: String) {
        self.text = text
    }
}
