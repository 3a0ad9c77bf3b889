/// What Tab can complete, by position: slash commands first, then a command's room or user
/// argument, and `@username` anywhere.
public struct CompletionCandidates: Sendable, Equatable {
    public var commands: [String]
    /// Room names as `/join` takes them: group names and `@user` for direct rooms.
    public var rooms: [String]
    public var usernames: [String]

    public init(commands: [String] = [], rooms: [String] = [], usernames: [String] = []) {
        self.commands = commands
        self.rooms = rooms
        self.usernames = usernames
    }

    /// The completions of `word`, which starts after `lineBefore` on the input line.
    public func matches(for word: String, after lineBefore: String) -> [String] {
        let previous = lineBefore.split(separator: " ", omittingEmptySubsequences: true)
        let candidates: [String]
        if previous.isEmpty {
            candidates = word.hasPrefix("/") ? commands : word.hasPrefix("@") ? usernames.map { "@" + $0 } : []
        } else if word.hasPrefix("@") {
            candidates = usernames.map { "@" + $0 }
        } else if previous.count == 1, let command = previous.first.map(String.init) {
            candidates = switch command {
            case "/join", "/j": rooms
            case "/msg", "/block": usernames
            default: []
            }
        } else {
            candidates = []
        }
        return Array(Set(candidates.filter { $0.hasPrefix(word) })).sorted()
    }
}
