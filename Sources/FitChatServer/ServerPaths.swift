import Foundation

/// Where the server keeps its files when not told: `$XDG_DATA_HOME/fitchat` (or `~/.local/share/fitchat`).
public enum ServerPaths {
    public static var dataDirectory: String {
        let environment = ProcessInfo.processInfo.environment
        if let home = environment["FITCHAT_HOME"], !home.isEmpty { return home + "/data" }
        if let xdg = environment["XDG_DATA_HOME"], !xdg.isEmpty { return xdg + "/fitchat" }
        return NSHomeDirectory() + "/.local/share/fitchat"
    }

    public static var defaultDatabasePath: String { dataDirectory + "/fitchat.sqlite" }
}
