import FitChatClient
import FitChatProtocol
import Foundation

/// Where results go: JSON Lines or human text on stdout, written (and so flushed) a line at a
/// time; errors as one `fitchat: ...` line on stderr. Colour only on a TTY without `NO_COLOR`.
struct Output: Sendable {
    let json: Bool
    let colour: Bool

    init(json: Bool, environment: [String: String]) {
        self.json = json
        colour = !json && isatty(STDOUT_FILENO) == 1 && environment["NO_COLOR"] == nil
    }

    func line(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    /// One JSON object on one line, in the wire format.
    func object(_ value: some Encodable) {
        let encoder = WireCoding.makeEncoder()
        encoder.outputFormatting.insert(.sortedKeys)
        guard let data = try? encoder.encode(value) else { return }
        FileHandle.standardOutput.write(data + Data("\n".utf8))
    }

    /// `value` as JSON, or `human` as text.
    func emit(_ value: some Encodable, human: @autoclosure () -> String) {
        if json { object(value) } else { line(human()) }
    }

    static func error(_ message: String) {
        FileHandle.standardError.write(Data("fitchat: \(message)\n".utf8))
    }

    func bold(_ text: String) -> String { colour ? "\u{1B}[1m\(text)\u{1B}[0m" : text }
    func dim(_ text: String) -> String { colour ? "\u{1B}[2m\(text)\u{1B}[0m" : text }
    func accent(_ text: String) -> String { colour ? "\u{1B}[36m\(text)\u{1B}[0m" : text }

    // MARK: Human forms

    func describe(_ message: ChatMessage, room: String? = nil) -> String {
        let time = Self.clock.string(from: message.createdAt)
        let sender = message.senderUsername ?? "user \(message.senderID)"
        let place = room.map { accent("#\($0) ") } ?? ""
        return "\(dim("\(time) #\(message.seq)")) \(place)\(bold(sender)): \(message.content)"
    }

    func describe(_ user: UserInfo) -> String {
        var text = "\(bold(user.username)) (\(user.id))"
        if let name = user.displayName, !name.isEmpty { text += " \(name)" }
        if let online = user.isOnline { text += online ? " " + accent("online") : "" }
        if user.isOnline == false, let seen = user.lastSeen { text += dim(" last seen \(Self.timestamp.string(from: seen))") }
        return text
    }

    func describe(_ room: RoomInfo) -> String {
        let name = room.name ?? "(unnamed)"
        var text = "\(bold(room.type == .direct ? "@" + name : name))  id \(room.id)  \(room.type.rawValue)"
        if let unread = room.unreadCount, unread > 0 { text += "  " + accent("\(unread) unread") }
        if let last = room.lastMessage {
            text += dim("  \(last.senderUsername ?? "?"): \(last.content.prefix(60).replacingOccurrences(of: "\n", with: " "))")
        }
        return text
    }

    private static let clock: DateFormatter = {
        let formatter = DateFormatter()
        formatter.dateFormat = "HH:mm"
        return formatter
    }()

    private static let timestamp: DateFormatter = {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter
    }()
}
