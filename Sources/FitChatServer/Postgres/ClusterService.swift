import FitChatProtocol
import ServiceLifecycle

/// The cluster's background work as a service of the server's group, started once the
/// receiver exists and stopped after the last socket closed.
struct ClusterService: Service {
    let cluster: PostgresCluster
    let receiver: any ClusterReceiver
    let position: OutboxPosition
    /// The users with a connection on this node (for re-registering after being given up).
    let localUsers: @Sendable () -> [UserID]

    func run() async {
        await cluster.run(receiver: receiver, from: position, localUsers: localUsers)
    }
}
