import FitChatProtocol
import FitChatTestSupport
import Foundation
import Testing

/// Incoming webhooks: a URL with a secret posts into a room, in Slack's JSON or plain text.
@Suite struct WebhookTests {
    /// The path of a hook's URL (`/hooks/SECRET`), to post to with no other authentication.
    func path(of hook: WebhookInfo) throws -> String {
        let url = try #require(hook.url.flatMap(URLComponents.init(string:)))
        return url.path
    }

    @Test func slackJSONAndPlainTextReachTheRoomFromTheHook() async throws {
        try await withServer { server in
            let (ann, bob, room) = try await server.annAndBobInGeneral()
            let bobSocket = try await TestSocket.connect(server, as: bob)
            try await bobSocket.join(room.id)
            let created = try await ann.api.post("/api/rooms/\(room.id)/webhooks", CreateWebhookRequest(name: "alertmanager"))
            #expect(created.status == 201)
            let hook: WebhookInfo = try ann.api.expect(created)
            #expect(hook.url?.hasPrefix(server.baseURL + "/hooks/") == true && (hook.url?.count ?? 0) > server.baseURL.count + 40, "\(hook.url ?? "")")

            let slack = #"{"text":"[FIRING:1] DiskFull","attachments":[{"title":"web-1","text":"disk 91% used","fields":[{"title":"severity","value":"critical"}]}]}"#
            let posted = try await server.anonymous.request(.POST, try path(of: hook), rawBody: slack, headers: [("Content-Type", "application/json")])
            #expect(posted.status == 200 && String(decoding: posted.body, as: UTF8.self) == "ok")
            guard case .newMessage(let alert) = try await bobSocket.next("new_message").event else { throw TestFailure("no message") }
            #expect(alert.senderUsername == "alertmanager" && alert.senderID == hook.userID)
            #expect(alert.content == "[FIRING:1] DiskFull\nweb-1\ndisk 91% used\nseverity: critical")

            let plain = try await server.anonymous.request(.POST, try path(of: hook), rawBody: "backup done on db-2", headers: [("Content-Type", "text/plain")])
            #expect(plain.status == 200)
            guard case .newMessage(let note) = try await bobSocket.next("new_message").event else { throw TestFailure("no message") }
            #expect(note.content == "backup done on db-2" && note.senderUsername == "alertmanager")

            // Listed without its secret; marked as a hook among the participants; it cannot log in.
            let listed: [WebhookInfo] = try ann.api.expect(try await bob.api.get("/api/rooms/\(room.id)/webhooks"))
            #expect(listed.map(\.name) == ["alertmanager"] && listed.first?.url == nil)
            let info: RoomInfo = try ann.api.expect(try await ann.api.get("/api/rooms/\(room.id)"))
            let hookUser = try #require(info.participants?.first { $0.id == hook.userID })
            #expect(hookUser.isHook == true && hookUser.username == "alertmanager")
            let login = try await server.anonymous.post("/api/auth/login", LoginRequest(username: "~hook-\(hook.userID)", password: "anything at all"))
            #expect(login.status == 401)
        }
    }

    @Test func badSecretsOversizeAndDeletedHooksStoreNothing() async throws {
        try await withServer(configure: { $0.limits.sendBurst = 3; $0.limits.sendRefillPerSecond = 0.01 }) { server in
            let (ann, bob, room) = try await server.annAndBobInGeneral()
            let hook: WebhookInfo = try ann.api.expect(try await ann.api.post("/api/rooms/\(room.id)/webhooks", CreateWebhookRequest(name: "ci")))
            let hookPath = try path(of: hook)
            func stored() async throws -> Int {
                let messages: [ChatMessage] = try ann.api.expect(try await ann.api.get("/api/rooms/\(room.id)/messages?limit=200"))
                return messages.count
            }
            #expect(try await server.anonymous.request(.POST, "/hooks/not-the-secret", rawBody: "x").status == 404)
            #expect(try await server.anonymous.request(.POST, String(hookPath.dropLast()), rawBody: "x").status == 404)
            let oversize = try await server.anonymous.request(.POST, hookPath, rawBody: String(repeating: "a", count: 5000), headers: [("Content-Type", "text/plain")])
            #expect(oversize.status == 400 && oversize.error?.error.code == .invalid)
            let broken = try await server.anonymous.request(.POST, hookPath, rawBody: #"{"text": 5}"#, headers: [("Content-Type", "application/json")])
            #expect(broken.status == 400)
            #expect(try await stored() == 0)

            // Rate-limited like a user: a burst of 3, then 429.
            for index in 1...3 { #expect(try await server.anonymous.request(.POST, hookPath, rawBody: "build \(index)").status == 200) }
            let limited = try await server.anonymous.request(.POST, hookPath, rawBody: "build 4")
            #expect(limited.status == 429 && limited.headers.first(name: "Retry-After") != nil)
            #expect(try await stored() == 3)

            // Only its creator or the room's owner deletes it; then its URL is dead.
            let stranger = try await server.register("cat")
            #expect(try await stranger.api.request(.DELETE, "/api/rooms/\(room.id)/webhooks/\(hook.id)").status == 403)
            let otherHook: WebhookInfo = try ann.api.expect(try await bob.api.post("/api/rooms/\(room.id)/webhooks", CreateWebhookRequest(name: "bob's")))
            #expect(try await bob.api.request(.DELETE, "/api/rooms/\(room.id)/webhooks/\(hook.id)").status == 403)
            #expect(try await ann.api.request(.DELETE, "/api/rooms/\(room.id)/webhooks/\(otherHook.id)").status == 204, "the owner deletes any hook")
            #expect(try await ann.api.request(.DELETE, "/api/rooms/\(room.id)/webhooks/\(hook.id)").status == 204)
            #expect(try await server.anonymous.request(.POST, hookPath, rawBody: "after").status == 404)
            #expect(try await stored() == 3, "its messages stay")
        }
    }

    @Test func onlyParticipantsMakeHooksAndAHookDiesWithItsRoom() async throws {
        try await withServer { server in
            let (ann, _, room) = try await server.annAndBobInGeneral()
            let cat = try await server.register("cat")
            #expect(try await cat.api.post("/api/rooms/\(room.id)/webhooks", CreateWebhookRequest(name: "spy")).status == 403)
            #expect(try await ann.api.post("/api/rooms/\(room.id)/webhooks", CreateWebhookRequest(name: "")).status == 400)
            let hook: WebhookInfo = try ann.api.expect(try await ann.api.post("/api/rooms/\(room.id)/webhooks", CreateWebhookRequest(name: "ci")))
            #expect(try await ann.api.request(.DELETE, "/api/rooms/\(room.id)").status == 204)
            #expect(try await server.anonymous.request(.POST, try path(of: hook), rawBody: "too late").status == 404)
        }
    }
}
