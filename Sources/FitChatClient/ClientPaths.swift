import Foundation

/// Where the CLI keeps its files: `$XDG_CONFIG_HOME/fitchat` for profiles and tokens,
/// `$XDG_STATE_HOME/fitchat` for caches, cursors and history. `FITCHAT_HOME` overrides both.
public struct ClientPaths: Sendable {
    public let configDirectory: URL
    public let stateDirectory: URL

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        // Directory hints, so that building a path never asks the file system (every command
        // pays for that before its first request).
        if let home = environment["FITCHAT_HOME"], !home.isEmpty {
            let root = URL(filePath: home, directoryHint: .isDirectory)
            configDirectory = root.appending(path: "config", directoryHint: .isDirectory)
            stateDirectory = root.appending(path: "state", directoryHint: .isDirectory)
            return
        }
        let userHome = environment["HOME"] ?? NSHomeDirectory()
        func xdg(_ variable: String, _ fallback: String) -> URL {
            let base = environment[variable].flatMap { $0.hasPrefix("/") ? $0 : nil } ?? "\(userHome)/\(fallback)"
            return URL(filePath: base, directoryHint: .isDirectory).appending(path: "fitchat", directoryHint: .isDirectory)
        }
        configDirectory = xdg("XDG_CONFIG_HOME", ".config")
        stateDirectory = xdg("XDG_STATE_HOME", ".local/state")
    }

    /// Creates `directory` (and parents) readable by the owner only.
    public static func ensurePrivateDirectory(_ directory: URL) throws(ClientError) {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw .configuration("cannot create \(directory.path): \(error.localizedDescription)")
        }
    }

    /// Writes through a private temporary file and a rename: never readable by others, never half written.
    public static func writePrivately(_ data: Data, to url: URL) throws(ClientError) {
        try ensurePrivateDirectory(url.deletingLastPathComponent())
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(getpid())")
        guard FileManager.default.createFile(atPath: temporary.path, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw .configuration("cannot write \(url.path)")
        }
        guard rename(temporary.path, url.path) == 0 else {
            try? FileManager.default.removeItem(at: temporary)
            throw .configuration("cannot write \(url.path): \(String(cString: strerror(errno)))")
        }
    }
}
