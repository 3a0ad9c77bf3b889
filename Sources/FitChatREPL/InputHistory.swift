import CReadline
import FitChatClient
import Foundation

/// Readline's history, kept across sessions in one private file: each line is appended as it
/// is entered, so a crash loses nothing, and the file is trimmed on exit.
struct InputHistory: Sendable {
    static let limit: Int32 = 1_000
    let path: String

    init(file: URL) throws(ClientError) {
        try ClientPaths.ensurePrivateDirectory(file.deletingLastPathComponent())
        path = file.path
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw .configuration("cannot create \(path)")
            }
        }
    }

    func load() {
        using_history()
        stifle_history(Self.limit)
        read_history(path)
    }

    /// Adds a non-blank line unless it repeats the previous one, as shells do.
    func add(_ line: String) {
        guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { return }
        if let last = fitchat_history_last(), String(cString: last) == line { return }
        add_history(line)
        append_history(1, path)
    }

    func trim() {
        history_truncate_file(path, Self.limit)
    }
}
