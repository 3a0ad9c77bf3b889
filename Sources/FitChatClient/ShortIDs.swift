import FitChatProtocol

/// How human output writes ids: the shortest beginning (8 characters at least) that tells the
/// ids of one listing apart, so that what a command prints can be pasted back where an id is
/// taken. An id the listing did not include gets its first 8 characters.
public struct ShortIDs: Sendable {
    private let prefixes: [ChatID: String]

    public init(_ ids: some Sequence<ChatID> = [ChatID]()) {
        prefixes = ChatID.shortPrefixes(of: ids)
    }

    /// For a listing of messages: their own ids and the ids they reply to.
    public init(messages: [ChatMessage]) {
        self.init(messages.map(\.id) + messages.compactMap(\.replyToID))
    }

    public subscript(_ id: ChatID) -> String {
        prefixes[id] ?? String(id.uuidString.prefix(8))
    }
}
