import FitChatProtocol
import Foundation

// What both backends share: how they key a pair of users, store time and escape LIKE patterns.

/// The key both backends give a pair of users (a direct room, a friendship) in either order.
func pairKey(_ first: UserID, _ second: UserID) -> String {
    "\(min(first, second)):\(max(first, second))"
}

extension Date {
    /// Milliseconds since 1970: how both backends store time.
    var epochMilliseconds: Int64 { Int64((timeIntervalSince1970 * 1000).rounded()) }

    init(epochMilliseconds: Int64) {
        self.init(timeIntervalSince1970: Double(epochMilliseconds) / 1000)
    }
}

extension String {
    /// Escapes `%`, `_` and `\` for a LIKE pattern with `ESCAPE '\'`.
    var likeEscaped: String {
        var result = ""
        for character in self {
            if character == "%" || character == "_" || character == "\\" { result.append("\\") }
            result.append(character)
        }
        return result
    }
}

extension Date {
    /// The same instant as the store will give it back.
    var roundedToMilliseconds: Date { Date(epochMilliseconds: epochMilliseconds) }
}
