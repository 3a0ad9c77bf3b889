import Foundation
import FitChatProtocol

/// Input rules shared by REST and WebSocket; each failure is `invalid` naming the field.
enum Validation {
    static func username(_ raw: String) throws(ServerError) -> String {
        let name = raw.trimmingCharacters(in: .whitespaces)
        guard (3...32).contains(name.count) else { throw .invalid("username must be 3 to 32 characters") }
        guard name.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "_.-".unicodeScalars.contains($0)) }) else {
            throw .invalid("username may hold only letters, digits, '_', '.' and '-'")
        }
        guard name.unicodeScalars.contains(where: \.properties.isAlphabetic) else {
            throw .invalid("username must contain a letter")
        }
        return name
    }

    /// `id_prefix`: at least four hex digits (hyphens ignored) of a UUID's beginning.
    static func idPrefix(_ raw: String) throws(ServerError) -> ChatIDPrefix {
        guard let prefix = ChatIDPrefix(raw) else {
            throw .invalid("id_prefix must be \(ChatIDPrefix.minimumDigits) to 32 hex digits of an id's beginning")
        }
        return prefix
    }

    /// A reaction: one grapheme (an emoji with its modifiers and joiners, or a single
    /// character), no spaces or controls, at most 32 bytes, so reactions stay reactions.
    static func emoji(_ raw: String) throws(ServerError) -> String {
        guard raw.count == 1, raw.utf8.count <= 32,
            raw.unicodeScalars.allSatisfy({ !$0.properties.isWhitespace && $0.properties.generalCategory != .control })
        else { throw .invalid("emoji must be a single emoji or character") }
        return raw
    }

    /// An uploaded file's name as it will be offered for download: its last path component,
    /// control characters and quotes removed, at most 255 bytes (cut at a character), never
    /// empty, never `.` or `..`.
    static func filename(_ raw: String?) -> String {
        let base = (raw ?? "").split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        var name = String(String.UnicodeScalarView(base.unicodeScalars.filter { scalar in
            scalar.properties.generalCategory != .control && scalar.properties.generalCategory != .format && scalar != "\""
        })).trimmingCharacters(in: .whitespaces)
        while name.utf8.count > 255 { name.removeLast() }
        return name.isEmpty || name == "." || name == ".." ? "file" : name
    }

    /// A `Content-Type` as given (`type/subtype`, parameters kept), or `application/octet-stream`.
    static func contentType(_ raw: String?) -> String {
        guard let raw = raw?.trimmingCharacters(in: .whitespaces), raw.utf8.count <= 200,
            let slash = raw.firstIndex(of: "/"), slash != raw.startIndex,
            raw.unicodeScalars.allSatisfy({ $0.isASCII && $0.properties.generalCategory != .control })
        else { return "application/octet-stream" }
        return raw
    }

    /// With an attachment a message is a `file` (the default) or an `image` and its content a
    /// caption; without one, `file` and `image` have nothing to show.
    static func attachedMessageType(_ raw: String?, hasAttachment: Bool) throws(ServerError) -> String {
        guard hasAttachment else {
            let type = try messageType(raw)
            if type == "file" || type == "image" { throw .invalid("message_type \(type) needs an attachment_id") }
            return type
        }
        let type = raw ?? "file"
        guard type == "file" || type == "image" else { throw .invalid("a message with attachment_id is of message_type file or image") }
        return type
    }

    static func password(_ password: String) throws(ServerError) {
        guard (8...1024).contains(password.count) else { throw .invalid("password must be 8 to 1024 characters") }
    }

    static func displayName(_ raw: String?) throws(ServerError) -> String? {
        guard let raw else { return nil }
        let name = stripControls(raw, keepNewlines: false).trimmingCharacters(in: .whitespaces)
        guard name.unicodeScalars.count <= 64 else { throw .invalid("display_name must be at most 64 characters") }
        return name.isEmpty ? nil : name
    }

    /// Message text: control characters other than newline and tab removed, trimmed, 1...max scalars.
    /// Every message passes here, so text with nothing to remove is returned without rebuilding.
    static func content(_ raw: String, maxLength: Int) throws(ServerError) -> String {
        let stripped = stripControls(raw, keepNewlines: true)
        let content = needsTrimming(stripped) ? stripped.trimmingCharacters(in: .whitespacesAndNewlines) : stripped
        guard !content.isEmpty else { throw .invalid("content is empty") }
        guard content.utf8.count <= maxLength || content.unicodeScalars.count <= maxLength else {
            throw .invalid("content is longer than \(maxLength) characters")
        }
        return content
    }

    /// Group names: one line, 1 to 100 characters, and never mistakable for an id or `@user`.
    static func roomName(_ raw: String) throws(ServerError) -> String {
        let name = stripControls(raw, keepNewlines: false).trimmingCharacters(in: .whitespaces)
        guard (1...100).contains(name.unicodeScalars.count) else { throw .invalid("name must be 1 to 100 characters") }
        guard !name.hasPrefix("@") else { throw .invalid("name must not start with '@'") }
        guard !name.allSatisfy(\.isNumber) else { throw .invalid("name must not be a number") }
        return name
    }

    /// A webhook's name, which its messages carry as `sender_username`.
    static func webhookName(_ raw: String) throws(ServerError) -> String {
        let name = stripControls(raw, keepNewlines: false).trimmingCharacters(in: .whitespaces)
        guard (1...64).contains(name.unicodeScalars.count) else { throw .invalid("name must be 1 to 64 characters") }
        return name
    }

    static func messageType(_ raw: String?) throws(ServerError) -> String {
        guard let raw else { return "text" }
        guard (1...32).contains(raw.count), raw.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || $0 == "_" }) else {
            throw .invalid("message_type must be 1 to 32 lowercase letters or '_'")
        }
        return raw
    }

    static func clientMessageID(_ raw: String?) throws(ServerError) -> String? {
        guard let raw else { return nil }
        guard (1...64).contains(raw.count) else { throw .invalid("client_msg_id must be 1 to 64 characters") }
        return raw
    }

    static func stripControls(_ text: String, keepNewlines: Bool) -> String {
        guard containsControls(text, keepNewlines: keepNewlines) else { return text }
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            let keep = scalar.properties.generalCategory != .control || (keepNewlines && (scalar == "\n" || scalar == "\t"))
            if keep { scalars.append(scalar) }
        }
        return String(scalars)
    }

    /// Whether the text holds a control character (general category Cc: U+0000–U+001F, U+007F,
    /// U+0080–U+009F), newline and tab aside when they are kept; read from the UTF-8 bytes.
    private static func containsControls(_ text: String, keepNewlines: Bool) -> Bool {
        var previous: UInt8 = 0
        for byte in text.utf8 {
            if byte < 0x20 {
                if !(keepNewlines && (byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\t"))) { return true }
            } else if byte == 0x7F || (previous == 0xC2 && (0x80...0x9F).contains(byte)) {
                return true
            }
            previous = byte
        }
        return false
    }

    /// False when trimming whitespace and newlines cannot change the text: it starts and ends
    /// with an ASCII byte that is neither (a non-ASCII end may be a Unicode space).
    private static func needsTrimming(_ text: String) -> Bool {
        guard let first = text.utf8.first, let last = text.utf8.last else { return false }
        func keeps(_ byte: UInt8) -> Bool { byte > 0x20 && byte < 0x80 }
        return !(keeps(first) && keeps(last))
    }
}
