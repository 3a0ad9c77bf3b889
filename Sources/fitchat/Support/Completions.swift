import ArgumentParser
import FitChatClient
import Foundation

/// Dynamic completion of `ROOM` and `USER` from the profile's cache (filled by any command that
/// lists rooms or users), so pressing TAB never waits for the network.
enum Completions {
    static let rooms = CompletionKind.custom { words, _, prefix in
        guard let store = store(for: words) else { return [] }
        let names = store.cachedRooms().flatMap { room -> [String] in
            guard let name = room.name else { return [String(room.id)] }
            return room.type == .direct ? ["@" + name] : [name]
        }
        return names.filter { $0.hasPrefix(prefix) }.sorted()
    }

    static let users = CompletionKind.custom { words, _, prefix in
        guard let store = store(for: words) else { return [] }
        return store.cachedUsernames().filter { $0.hasPrefix(prefix) }
    }

    /// The profile named on the command line being completed, else the environment's.
    private static func store(for words: [String]) -> ProfileStore? {
        let environment = ProcessInfo.processInfo.environment
        var name = environment["FITCHAT_PROFILE"].nonEmpty ?? "default"
        if let index = words.firstIndex(of: "--profile"), index + 1 < words.count { name = words[index + 1] }
        return try? ProfileStore(name: name, paths: ClientPaths(environment: environment))
    }
}
