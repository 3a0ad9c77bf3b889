import FitChatProtocol
import Hummingbird

/// The REST API of PROTOCOL.md. Handlers only translate HTTP to `ChatService` calls and back.
struct APIRoutes: Sendable {
    let chat: ChatService
    let http = HTTPCoding()

    func register(on router: Router<ChatRequestContext>, authenticator: TokenAuthenticator) {
        router.get("/health") { _, _ in try http.response(HealthStatus(status: "ok")) }
        registerAuth(on: router.group("/api/auth"))
        let api = router.group("/api").add(middleware: authenticator)
        api.post("/auth/logout") { _, context in
            try await chat.logout(try context.caller())
            return http.noContent()
        }
        registerUsers(on: api)
        registerSocial(on: api)
        registerRooms(on: api)
        registerMessages(on: api)
    }

    private func registerAuth(on auth: RouterGroup<ChatRequestContext>) {
        auth.post("/register") { request, _ in
            try http.response(try await chat.register(try await http.decode(RegisterRequest.self, from: request)), status: .created)
        }
        auth.post("/login") { request, _ in
            try http.response(try await chat.login(try await http.decode(LoginRequest.self, from: request)))
        }
    }

    private func registerUsers(on api: RouterGroup<ChatRequestContext>) {
        api.get("/users/me") { _, context in
            try http.response(try await chat.me(try context.caller()))
        }
        api.get("/users/search") { request, context in
            let query = request.uri.queryParameters
            return try http.response(try await chat.searchUsers(query.get("q"), idPrefix: query.get("id_prefix"), viewer: try context.caller()))
        }
        api.get("/users/:id") { _, context in
            try http.response(try await chat.user(try context.pathID(), viewer: try context.caller()))
        }
    }

    private func registerSocial(on api: RouterGroup<ChatRequestContext>) {
        api.get("/friends") { _, context in
            try http.response(try await chat.friends(of: try context.caller()))
        }
        api.get("/friends/requests") { _, context in
            try http.response(try await chat.friendRequests(of: try context.caller()))
        }
        api.post("/friends/requests") { request, context in
            let request = try await chat.requestFriendship(try context.caller(), with: try await http.decode(UserReference.self, from: request))
            return try http.response(request, status: request.status == .pending ? .created : .ok)
        }
        api.post("/friends/requests/:id/accept") { _, context in
            try http.response(try await chat.acceptFriendRequest(try context.caller(), id: try context.pathID()))
        }
        api.post("/friends/requests/:id/decline") { _, context in
            try await chat.declineFriendRequest(try context.caller(), id: try context.pathID())
            return http.noContent()
        }
        api.delete("/friends/:id") { _, context in
            try await chat.removeFriend(try context.caller(), userID: try context.pathID())
            return http.noContent()
        }
        api.get("/blocks") { _, context in
            try http.response(try await chat.blockedUsers(of: try context.caller()))
        }
        api.post("/blocks") { request, context in
            try http.response(try await chat.block(try context.caller(), try await http.decode(UserReference.self, from: request)), status: .created)
        }
        api.delete("/blocks/:id") { _, context in
            try await chat.unblock(try context.caller(), userID: try context.pathID())
            return http.noContent()
        }
    }

    private func registerRooms(on api: RouterGroup<ChatRequestContext>) {
        api.get("/rooms") { _, context in
            try http.response(try await chat.rooms(of: try context.caller()))
        }
        api.post("/rooms") { request, context in
            let (room, created) = try await chat.createRoom(try context.caller(), try await http.decode(CreateRoomRequest.self, from: request))
            return try http.response(room, status: created ? .created : .ok)
        }
        api.get("/rooms/:id") { _, context in
            try http.response(try await chat.room(try context.pathID(), caller: try context.caller()))
        }
        api.patch("/rooms/:id") { request, context in
            let body = try await http.decode(RenameRoomRequest.self, from: request)
            return try http.response(try await chat.renameRoom(try context.pathID(), to: body.name, caller: try context.caller()))
        }
        api.delete("/rooms/:id") { _, context in
            try await chat.deleteRoom(try context.pathID(), caller: try context.caller())
            return http.noContent()
        }
        api.post("/rooms/:id/participants") { request, context in
            let body = try await http.decode(AddParticipantsRequest.self, from: request)
            return try http.response(try await chat.addParticipants(try context.pathID(), body, caller: try context.caller()))
        }
        api.delete("/rooms/:id/participants/:user") { _, context in
            try await chat.removeParticipant(try context.pathID("user"), from: try context.pathID(), caller: try context.caller())
            return http.noContent()
        }
    }

    private func registerMessages(on api: RouterGroup<ChatRequestContext>) {
        api.get("/rooms/:id/messages") { request, context in
            let messages = try await chat.history(
                try context.pathID(), caller: try context.caller(),
                beforeSeq: try request.integerQuery("before_seq"), afterSeq: try request.integerQuery("after_seq"),
                limit: try request.integerQuery("limit").map { Int(clamping: $0) }
            )
            return try http.response(messages)
        }
        api.post("/rooms/:id/messages") { request, context in
            let body = try await http.decode(PostMessageRequest.self, from: request)
            let send = SendRequest(
                roomID: try context.pathID(), content: body.content, messageType: body.messageType,
                replyToID: body.replyToID, clientMessageID: body.clientMessageID
            )
            let outcome = try await chat.send(send, from: try context.caller(), connectionID: nil)
            if case .stored = outcome { return try http.response(outcome.message, status: .created) }
            return try http.response(outcome.message)
        }
        api.post("/rooms/:id/read") { request, context in
            let body = try await http.decode(MarkReadRequest.self, from: request, whenEmpty: MarkReadRequest())
            return try http.response(try await chat.markRead(try context.pathID(), body, caller: try context.caller()))
        }
        api.get("/messages/search") { request, context in
            let query = request.uri.queryParameters
            let messages = try await chat.searchMessages(
                query.get("q"), idPrefix: query.get("id_prefix"), roomID: try request.idQuery("room_id"), caller: try context.caller()
            )
            return try http.response(messages)
        }
    }
}
