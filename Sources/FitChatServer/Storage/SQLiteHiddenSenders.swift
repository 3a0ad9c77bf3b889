import FitChatProtocol
import GRDB

/// `NOT IN (...)` for the senders a reader has blocked; empty when there are none.
struct HiddenSendersClause {
    let sql: String
    let arguments: StatementArguments

    init(column: String, hidden: Set<UserID>) {
        if hidden.isEmpty {
            sql = ""
            arguments = []
        } else {
            sql = " AND \(column) NOT IN (" + Array(repeating: "?", count: hidden.count).joined(separator: ", ") + ")"
            arguments = StatementArguments(hidden.sorted())
        }
    }
}
