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

extension Completions {
    /// Appended to the bash script swift-argument-parser generates (`--generate-completion-script
    /// bash`), which does not know that `@user` words are split by readline.
    static let bashAddendum = #"""

        # fitchat: `@user` holds '@', a word break for readline (hostnames): bash splits `@ann` into
        # `@` and `ann`, and would quote a completed `@ann` to `\@ann` as a file name. Such a word is
        # put back together before completing and completed as a plain word.
        _fitchat_at_names() {
            if [[ "${2}" == @?* && "${COMP_CWORD}" -gt 0 && "${COMP_WORDS[COMP_CWORD-1]}" == @ ]]; then
                COMP_WORDS=("${COMP_WORDS[@]::COMP_CWORD-1}" "@${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[@]:COMP_CWORD+1}")
                ((COMP_CWORD--))
            fi
            _fitchat "$@"
            if [[ "${2}" == @* ]]; then compopt +o filenames 2>/dev/null; fi
            return 0
        }
        complete -o filenames -F _fitchat_at_names fitchat
        """#
}
