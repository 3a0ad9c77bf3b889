import FitChatProtocol
import Foundation
import GRDB

/// SQLite keeps an id as a 16-byte BLOB: half the size of its text, compared with memcmp,
/// so an id index is compact and a prefix is one range of it.
extension ChatID: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue {
        Data(bytes).databaseValue
    }

    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> ChatID? {
        guard case .blob(let data) = dbValue.storage else { return nil }
        return ChatID(bytes: data)
    }
}
