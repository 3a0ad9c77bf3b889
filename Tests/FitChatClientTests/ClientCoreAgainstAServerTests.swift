import FitChatClient
import FitChatProtocol
import FitChatTestSupport
import Foundation
import Testing

/// The client core (no binary) against a real server: names, ids and prefixes resolved, and a
/// session that follows the rooms its user joins.
@Suite struct ClientCoreAgainstAServerTests {
    /// A user registered through the client core itself, with an API on their token and a profile.
    struct Client {
        let api: ChatAPI
        let me: UserInfo
        let store: ProfileStore
        var resolver: NameResolver { NameResolver(api: api, profile: store) }
    }

    func client(_ name: String, on server: TestServer) async throws -> Client {
        let address = try ServerAddress(server.baseURL)
        let anonymous = try ChatAPI(server: address, token: nil)
        let auth: AuthResponse
        do {
            auth = try await anonymous.register(RegisterRequest(username: name, password: "password-of-\(name)"))
        } catch {
            await anonymous.shutdown()
            throw error
        }
        await anonymous.shutdown()
        let home = try TestServer.makeDirectory()
        let store = try ProfileStore(name: name, paths: ClientPaths(environment: ["FITCHAT_HOME": home.path]))
        return Client(api: try ChatAPI(server: address, token: auth.accessToken), me: auth.user, store: store)
    }

    /// Clients for `names`, always shut down afterwards (AsyncHTTPClient insists).
    func withClients(_ names: [String], on server: TestServer, _ body: ([Client]) async throws -> Void) async throws {
        var clients: [Client] = []
        do {
            for name in names { clients.append(try await client(name, on: server)) }
            try await body(clients)
        } catch {
            for client in clients { await client.api.shutdown() }
            throw error
        }
        for client in clients { await client.api.shutdown() }
    }

    @Test func namesIdsAndPrefixesResolve() async throws {
        try await withServer { server in try await withClients(["ann", "bob"], on: server) { clients in
            let (ann, bob) = (clients[0], clients[1])
            let room = try await ann.api.createRoom(CreateRoomRequest(type: .group, name: "general", participantIDs: [bob.me.id]))
            #expect(try await ann.resolver.room("general") == room.id)
            #expect(try await ann.resolver.room(room.id.uuidString.uppercased()) == room.id)
            #expect(try await ann.resolver.room(String(room.id.uuidString.prefix(8))) == room.id)
            let direct = try await ann.resolver.room("@bob")
            #expect(try await ann.api.room(direct).type == .direct)

            #expect(try await ann.resolver.user("bob") == UserReference(username: "bob"))
            #expect(try await ann.resolver.user(String(bob.me.id.uuidString.prefix(10))) == UserReference(userID: bob.me.id))
            #expect(try await ann.resolver.userID("bob") == bob.me.id)

            let message = try await ann.api.postMessage(PostMessageRequest(content: "hello"), to: room.id)
            #expect(try await bob.resolver.message(String(message.id.uuidString.prefix(9)), in: room.id) == message.id)
            await #expect(throws: ClientError.self) { try await bob.resolver.message("0000ffff", in: room.id) }
        } }
    }

    @Test func aFollowerJoinsRoomsItsUserIsAddedTo() async throws {
        try await withServer { server in try await withClients(["ann", "bob"], on: server) { clients in
            let (ann, bob) = (clients[0], clients[1])
            let session = ChatSession(api: bob.api)
            let follower = RoomFollower(session: session, me: bob.me.id, rooms: [], followsNewRooms: true)
            let run = Task { try await session.run() }
            var events = session.events.makeAsyncIterator()
            guard case .connected = await events.next() else { throw TestFailure("no connection") }
            let room = try await ann.api.createRoom(CreateRoomRequest(type: .group, name: "later", participantIDs: [bob.me.id]))
            var joined = false
            while !joined {
                guard case .frame(let envelope, _) = await events.next() else { continue }
                follower.observe(envelope.event)
                if case .roomJoined(let info) = envelope.event, info.roomID == room.id { joined = true }
            }
            #expect(follower.follows(room.id))
            #expect(follower.name(of: room.id) == "later")
            _ = try await ann.api.postMessage(PostMessageRequest(content: "to the follower"), to: room.id)
            var content: String?
            while content == nil {
                guard case .frame(let envelope, _) = await events.next() else { continue }
                if case .newMessage(let message) = envelope.event { content = message.content }
            }
            #expect(content == "to the follower")
            #expect(follower.username(of: ann.me.id) == "ann")
            run.cancel()
            _ = await run.result
        } }
    }

    /// A new connection's joins go out before anything sent on it: a send that overtook them
    /// would be acknowledged first, and its `seq` would hide from the session the entries the
    /// join's replay brings, such as a message sent while it was away. A thread sends as early
    /// as the session lets it, a hundred connections over (the window it races is microseconds).
    @Test func joinsGoOutBeforeAnyFrameSentOnTheNewConnection() async throws {
        // A hundred messages from bob and as many from ann: beyond the default send burst.
        try await withServer(configure: { $0.limits.sendBurst = 1000 }) { server in
            try await withClients(["ann", "bob"], on: server) { clients in
                let (ann, bob) = (clients[0], clients[1])
                let room = try await ann.api.createRoom(CreateRoomRequest(type: .group, name: "general", participantIDs: [bob.me.id]))
                for attempt in 1...100 {
                    let session = ChatSession(api: ann.api)
                    session.join(room.id, sinceSeq: try await ann.api.room(room.id).lastSeq)
                    _ = try await bob.api.postMessage(PostMessageRequest(content: "while away \(attempt)"), to: room.id)
                    let key = "eager-\(attempt)"
                    let eager = ClientFrame.sendMessage(SendMessage(roomID: room.id, content: "eager \(attempt)", clientMessageID: key))
                    Thread.detachNewThread {
                        let deadline = ContinuousClock.now + .seconds(10)
                        while (try? session.send(eager, id: key)) == nil, ContinuousClock.now < deadline {}
                    }
                    let run = Task { try await session.run() }
                    var replayed: [String] = []
                    var events = session.events.makeAsyncIterator()
                    joining: while let event = await events.next() {
                        guard case .frame(let envelope, _) = event else { continue }
                        switch envelope.event {
                        case .newMessage(let message): replayed.append(message.content)
                        case .roomJoined(let joined) where joined.roomID == room.id: break joining
                        default: continue
                        }
                    }
                    #expect(replayed.contains("while away \(attempt)"), "connection \(attempt) heard \(replayed)")
                    run.cancel()
                    _ = await run.result
                }
            }
        }
    }

    /// A one-shot command's connection per call against the pool of a long-lived client: the
    /// same answers, the same refusals, the same words for a server that is down.
    @Test func aConnectionPerCallAnswersAsThePoolDoes() async throws {
        try await withServer { server in
            let address = try ServerAddress(server.baseURL)
            let anonymous = try ChatAPI(server: address, token: nil, transport: .connectionPerCall)
            let auth = try await anonymous.register(RegisterRequest(username: "cat", password: "password-of-cat"))
            let oneShot = try anonymous.authenticated(with: auth.accessToken)
            let pooled = try ChatAPI(server: address, token: auth.accessToken, transport: .pooled)
            let room = try await oneShot.createRoom(CreateRoomRequest(type: .group, name: "notes", participantIDs: []))
            let sent = try await oneShot.postMessage(PostMessageRequest(content: "über 🚀 \"quoted\"\tand\nmore"), to: room.id)
            #expect(sent.content == "über 🚀 \"quoted\"\tand\nmore")
            let seenByPool = try await pooled.messages(in: room.id)
            #expect(seenByPool.map(\.id) == [sent.id])
            #expect(try await oneShot.messages(in: room.id) == seenByPool)

            let nowhere = RoomID(uuid: UUID())
            var refusals: [ClientError] = []
            for api in [oneShot, pooled] {
                do throws(ClientError) { _ = try await api.postMessage(PostMessageRequest(content: "x"), to: nowhere) } catch { refusals.append(error) }
            }
            #expect(refusals.count == 2 && refusals.first == refusals.last)
            guard case .refused = refusals.first else { Issue.record("not a refusal: \(refusals)"); return }
            await pooled.shutdown()

            let down = try ServerAddress("http://127.0.0.1:1")
            var failures: [ClientError] = []
            for transport in [ChatAPI.Transport.connectionPerCall, .pooled] {
                let api = try ChatAPI(server: down, token: auth.accessToken, transport: transport)
                do throws(ClientError) { _ = try await api.me() } catch { failures.append(error) }
                await api.shutdown()
            }
            #expect(failures == Array(repeating: .unreachable("cannot reach http://127.0.0.1:1: connection refused"), count: 2))

            let forged = try ChatAPI(server: address, token: "\(auth.accessToken)\r\nX-Forged: 1", transport: .connectionPerCall)
            await #expect(throws: ClientError.configuration("the token holds characters a token cannot have")) { try await forged.me() }
        }
    }

    @Test func recentMapsForgetTheEarliestFirst() {
        var map = RecentMap<Int, String>(capacity: 3)
        for key in 1...5 { map[key] = "v\(key)" }
        #expect(map.count == 3 && map[1] == nil && map[2] == nil && map[5] == "v5")
        map[3] = "again"
        map[6] = "v6"
        #expect(map[3] == nil && map[4] == "v4" && map[6] == "v6", "re-setting a key does not make it newer")
    }
}
