import FitChatProtocol
import Foundation

/// How people read chat objects: one line each, with ANSI colour only when `colour` is set
/// (a TTY without `NO_COLOR`). Shared by the CLI's human output and the REPL.
public struct TextStyle: Sendable {
    public let colour: Bool

    public init(colour: Bool) {
        self.colour = colour
    }

    /// Colour for a terminal on `fileDescriptor`, as CLI.md asks: only on a TTY, never with `NO_COLOR`.
    public static func forTerminal(_ fileDescriptor: Int32, environment: [String: String]) -> TextStyle {
        TextStyle(colour: isatty(fileDescriptor) == 1 && environment["NO_COLOR"] == nil)
    }

    public func bold(_ text: String) -> String { paint(text, "1") }
    public func dim(_ text: String) -> String { paint(text, "2") }
    public func accent(_ text: String) -> String { paint(text, "36") }
    public func warning(_ text: String) -> String { paint(text, "31") }

    private func paint(_ text: String, _ code: String) -> String {
        colour ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    /// `10:04 #12 3f9a1c2e #general bob: text` (`@ann` for a direct room): the id as `ids`
    /// abbreviates it, pasteable into `--reply-to`; a reply names what it answers.
    /// Continuation lines of a multi-line message are indented under the first.
    public func describe(_ message: ChatMessage, room: String? = nil, ids: ShortIDs = ShortIDs()) -> String {
        let time = Self.when(message.createdAt)
        let place = room.map { accent(($0.hasPrefix("@") ? $0 : "#" + $0) + " ") } ?? ""
        let reply = message.replyToID.map { dim("(reply to \(ids[$0])) ") } ?? ""
        let head = "\(dim("\(time) #\(message.seq) \(ids[message.id])")) \(place)\(bold(message.senderUsername)): \(reply)"
        if message.deleted == true { return head + dim("(deleted)") }
        var text = head + message.content.replacingOccurrences(of: "\n", with: "\n    ")
        if let file = message.attachment { text += (message.content.isEmpty ? "" : " ") + accent("[file \(file.filename), \(Self.size(file.size))]") }
        if message.editedAt != nil { text += dim(" (edited)") }
        if let reactions = message.reactions, !reactions.isEmpty {
            text += "  " + reactions.map { "\($0.emoji) \($0.count)" }.joined(separator: " ")
        }
        return text
    }

    /// A file size as people read it: `812 bytes`, `14.2 KiB`, `3.0 MiB`.
    public static func size(_ bytes: Int64) -> String {
        if bytes < 1024 { return "\(bytes) bytes" }
        if bytes < 1 << 20 { return String(format: "%.1f KiB", Double(bytes) / 1024) }
        if bytes < 1 << 30 { return String(format: "%.1f MiB", Double(bytes) / 1_048_576) }
        return String(format: "%.1f GiB", Double(bytes) / 1_073_741_824)
    }

    /// A time as people read it in a listing: `10:04` today, `Nov 28 10:04` this year,
    /// `2025-11-28 10:04` before.
    public static func when(_ date: Date, now: Date = Date()) -> String {
        let calendar = Calendar.current
        if calendar.isDate(date, inSameDayAs: now) { return clock.string(from: date) }
        if calendar.component(.year, from: date) == calendar.component(.year, from: now) { return dayOfYear.string(from: date) }
        return timestamp.string(from: date)
    }

    public func describe(_ user: UserInfo, ids: ShortIDs = ShortIDs()) -> String {
        var text = "\(bold(user.username)) (\(ids[user.id]))"
        if let name = user.displayName, !name.isEmpty { text += " \(name)" }
        if let online = user.isOnline { text += online ? " " + accent("online") : "" }
        if user.isOnline == false, let seen = user.lastSeen { text += dim(" last seen \(Self.when(seen))") }
        return text
    }

    public func describe(_ room: RoomInfo, ids: ShortIDs = ShortIDs()) -> String {
        let name = room.name ?? "(unnamed)"
        var text = "\(bold(room.type == .direct ? "@" + name : name))  id \(ids[room.id])  \(room.type.rawValue)"
        if let unread = room.unreadCount, unread > 0 { text += "  " + accent("\(unread) unread") }
        if let last = room.lastMessage {
            text += dim("  \(last.senderUsername): \(last.content.prefix(60).replacingOccurrences(of: "\n", with: " "))")
        }
        return text
    }

    /// `HH:mm`, for a message's time of day.
    public static let clock: DateFormatter = {
        let formatter = DateFormatter()
        formatter.dateFormat = "HH:mm"
        return formatter
    }()

    private static let dayOfYear: DateFormatter = {
        let formatter = DateFormatter()
        formatter.dateFormat = "MMM d HH:mm"
        formatter.locale = Locale(identifier: "en_US_POSIX")
        return formatter
    }()

    private static let timestamp: DateFormatter = {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter
    }()
}
