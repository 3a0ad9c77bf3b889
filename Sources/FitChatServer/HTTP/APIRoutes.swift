import FitChatProtocol
import Foundation
import HTTPTypes
import Hummingbird

/// The REST API of PROTOCOL.md. Handlers only translate HTTP to `ChatService` calls and back.
struct APIRoutes: Sendable {
    let chat: ChatService
    /// `https` when the server terminates TLS itself (webhook URLs are built with it).
    let scheme: String

    func register(on router: Router<ChatRequestContext>, authenticator: TokenAuthenticator) {
        router.get("/health") { _, _ in HealthStatus(status: "ok") }
        registerAuth(on: router.group("/api/auth"))
        let api = router.group("/api").add(middleware: authenticator)
        api.post("/auth/logout") { _, context in
            try await chat.logout(try context.caller())
            return HTTPResponse.Status.noContent
        }
        registerUsers(on: api)
        registerSocial(on: api)
        registerRooms(on: api)
        registerMessages(on: api)
        registerAttachments(on: api)
        registerWebhooks(on: api, public: router)
    }

    private func registerWebhooks(on api: RouterGroup<ChatRequestContext>, public router: Router<ChatRequestContext>) {
        api.get("/rooms/:id/webhooks") { _, context in
            try await chat.webhooks(in: try context.pathID(), caller: try context.caller())
        }
        api.post("/rooms/:id/webhooks") { request, context in
            let body = try await request.decode(as: CreateWebhookRequest.self, context: context)
            let hook = try await chat.createWebhook(in: try context.pathID(), body, caller: try context.caller(), baseURL: baseURL(of: request))
            return EditedResponse(status: .created, response: hook)
        }
        api.delete("/rooms/:id/webhooks/:hook") { _, context in
            try await chat.deleteWebhook(try context.pathID("hook"), in: try context.pathID(), caller: try context.caller())
            return HTTPResponse.Status.noContent
        }
        // No other authentication than the secret in the path: that is what webhooks are.
        router.post("/hooks/:secret") { request, context in
            guard let secret = context.parameters.get("secret") else { throw ServerError.notFound("no such webhook") }
            var request = request
            let body: ByteBuffer
            do {
                body = try await request.collectBody(upTo: context.maxUploadSize)
            } catch {
                throw ServerError.invalid("the request body is larger than \(context.maxUploadSize / 1024) KiB")
            }
            try await chat.postFromWebhook(secret: secret, body: Data(buffer: body), contentType: request.headers[.contentType])
            return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: "ok")))
        }
    }

    /// Where clients reach this server, as the request came in (a proxy's X-Forwarded-Proto wins).
    private func baseURL(of request: Request) -> String {
        var proto = scheme
        if let name = HTTPField.Name("X-Forwarded-Proto"), let forwarded = request.headers[name]?.split(separator: ",").first {
            proto = forwarded.trimmingCharacters(in: .whitespaces)
        }
        return "\(proto)://\(request.head.authority ?? "127.0.0.1")"
    }

    private func registerAuth(on auth: RouterGroup<ChatRequestContext>) {
        auth.post("/register") { request, context in
            EditedResponse(status: .created, response: try await chat.register(try await request.decode(as: RegisterRequest.self, context: context)))
        }
        auth.post("/login") { request, context in
            try await chat.login(try await request.decode(as: LoginRequest.self, context: context))
        }
    }

    private func registerUsers(on api: RouterGroup<ChatRequestContext>) {
        api.get("/users/me") { _, context in
            try await chat.me(try context.caller())
        }
        api.get("/users/search") { request, context in
            let query = request.uri.queryParameters
            return try await chat.searchUsers(query.get("q"), idPrefix: query.get("id_prefix"), viewer: try context.caller())
        }
        api.get("/users/:id") { _, context in
            try await chat.user(try context.pathID(), viewer: try context.caller())
        }
    }

    private func registerSocial(on api: RouterGroup<ChatRequestContext>) {
        api.get("/friends") { _, context in
            try await chat.friends(of: try context.caller())
        }
        api.get("/friends/requests") { _, context in
            try await chat.friendRequests(of: try context.caller())
        }
        api.post("/friends/requests") { request, context in
            let request = try await chat.requestFriendship(try context.caller(), with: try await request.decode(as: UserReference.self, context: context))
            return EditedResponse(status: request.status == .pending ? .created : .ok, response: request)
        }
        api.post("/friends/requests/:id/accept") { _, context in
            try await chat.acceptFriendRequest(try context.caller(), id: try context.pathID())
        }
        api.post("/friends/requests/:id/decline") { _, context in
            try await chat.declineFriendRequest(try context.caller(), id: try context.pathID())
            return HTTPResponse.Status.noContent
        }
        api.delete("/friends/:id") { _, context in
            try await chat.removeFriend(try context.caller(), userID: try context.pathID())
            return HTTPResponse.Status.noContent
        }
        api.get("/blocks") { _, context in
            try await chat.blockedUsers(of: try context.caller())
        }
        api.post("/blocks") { request, context in
            EditedResponse(status: .created, response: try await chat.block(try context.caller(), try await request.decode(as: UserReference.self, context: context)))
        }
        api.delete("/blocks/:id") { _, context in
            try await chat.unblock(try context.caller(), userID: try context.pathID())
            return HTTPResponse.Status.noContent
        }
    }

    private func registerRooms(on api: RouterGroup<ChatRequestContext>) {
        api.get("/rooms") { _, context in
            try await chat.rooms(of: try context.caller())
        }
        api.post("/rooms") { request, context in
            let (room, created) = try await chat.createRoom(try context.caller(), try await request.decode(as: CreateRoomRequest.self, context: context))
            return EditedResponse(status: created ? .created : .ok, response: room)
        }
        api.get("/rooms/:id") { _, context in
            try await chat.room(try context.pathID(), caller: try context.caller())
        }
        api.patch("/rooms/:id") { request, context in
            let body = try await request.decode(as: RenameRoomRequest.self, context: context)
            return try await chat.renameRoom(try context.pathID(), to: body.name, caller: try context.caller())
        }
        api.delete("/rooms/:id") { _, context in
            try await chat.deleteRoom(try context.pathID(), caller: try context.caller())
            return HTTPResponse.Status.noContent
        }
        api.post("/rooms/:id/participants") { request, context in
            let body = try await request.decode(as: AddParticipantsRequest.self, context: context)
            return try await chat.addParticipants(try context.pathID(), body, caller: try context.caller())
        }
        api.delete("/rooms/:id/participants/:user") { _, context in
            try await chat.removeParticipant(try context.pathID("user"), from: try context.pathID(), caller: try context.caller())
            return HTTPResponse.Status.noContent
        }
    }

    private func registerMessages(on api: RouterGroup<ChatRequestContext>) {
        api.get("/rooms/:id/messages") { request, context in
            let messages = try await chat.history(
                try context.pathID(), caller: try context.caller(),
                beforeSeq: try request.integerQuery("before_seq"), afterSeq: try request.integerQuery("after_seq"),
                limit: try request.integerQuery("limit").map { Int(clamping: $0) }
            )
            return messages
        }
        api.post("/rooms/:id/messages") { request, context in
            let body = try await request.decode(as: PostMessageRequest.self, context: context)
            let send = SendRequest(
                roomID: try context.pathID(), content: body.content, messageType: body.messageType,
                replyToID: body.replyToID, clientMessageID: body.clientMessageID, attachmentID: body.attachmentID
            )
            let outcome = try await chat.send(send, from: try context.caller(), connectionID: nil)
            let stored = if case .stored = outcome { true } else { false }
            return EditedResponse(status: stored ? .created : .ok, response: outcome.message)
        }
        api.post("/rooms/:id/read") { request, context in
            let body = try await request.decode(as: MarkReadRequest.self, context: context, whenEmpty: MarkReadRequest())
            return try await chat.markRead(try context.pathID(), body, caller: try context.caller())
        }
        api.patch("/messages/:id") { request, context in
            let body = try await request.decode(as: EditMessageRequest.self, context: context)
            return try await chat.edit(try context.pathID(), content: body.content, caller: try context.caller(), connectionID: nil).message
        }
        api.delete("/messages/:id") { _, context in
            _ = try await chat.delete(try context.pathID(), caller: try context.caller(), connectionID: nil)
            return HTTPResponse.Status.noContent
        }
        api.put("/messages/:id/reactions/:emoji") { _, context in
            _ = try await chat.react(try context.pathID(), emoji: try context.emoji(), on: true, caller: try context.caller(), connectionID: nil)
            return HTTPResponse.Status.noContent
        }
        api.delete("/messages/:id/reactions/:emoji") { _, context in
            _ = try await chat.react(try context.pathID(), emoji: try context.emoji(), on: false, caller: try context.caller(), connectionID: nil)
            return HTTPResponse.Status.noContent
        }
        api.get("/messages/search") { request, context in
            let query = request.uri.queryParameters
            let messages = try await chat.searchMessages(
                query.get("q"), idPrefix: query.get("id_prefix"), roomID: try request.idQuery("room_id"), caller: try context.caller()
            )
            return messages
        }
    }
}
