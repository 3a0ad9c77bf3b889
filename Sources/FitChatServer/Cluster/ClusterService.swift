import ServiceLifecycle

/// The cluster's background work as a service of the server's group, started after the chat
/// service exists (it is the receiver) and stopped after the last socket closed.
struct ClusterService: Service {
    let cluster: PostgresCluster
    let chat: ChatService
    let cursor: Int64

    func run() async {
        let hub = chat.hub
        await cluster.run(receiver: chat, from: cursor) { hub.onlineUsers }
    }
}
