import FitChatProtocol
import Synchronization

/// Which other nodes hold connections of which users, as their presence events said; read on
/// every `is_online`, so it lives in memory.
final class RemotePresence: Sendable {
    private let nodesByUser = Mutex<[UserID: Set<String>]>([:])

    func set(_ userID: UserID, online: Bool, on node: String) {
        nodesByUser.withLock { nodes in
            if online {
                nodes[userID, default: []].insert(node)
            } else {
                nodes[userID]?.remove(node)
                if nodes[userID]?.isEmpty == true { nodes[userID] = nil }
            }
        }
    }

    func forget(node: String) {
        nodesByUser.withLock { nodes in
            for userID in Array(nodes.keys) {
                nodes[userID]?.remove(node)
                if nodes[userID]?.isEmpty == true { nodes[userID] = nil }
            }
        }
    }

    func isOnline(_ userID: UserID) -> Bool {
        nodesByUser.withLock { $0[userID] != nil }
    }
}
