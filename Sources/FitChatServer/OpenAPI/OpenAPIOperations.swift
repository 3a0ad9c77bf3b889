/// Every route of the REST API (the router's list and this one are compared by a test).
enum OpenAPIOperations {
    typealias Op = OpenAPIOperation

    static var all: [OpenAPIOperation] {
        (server + accounts + social + rooms + messages + files + webhooks).map { operation in
            var operation = operation
            operation.links = links["\(operation.method) \(operation.path)"] ?? []
            return operation
        }
    }

    /// Where a created thing's id leads: a new room to its pages, a message to its changes.
    static var links: [String: [(operation: String, parameters: [String: String])]] {
        let room = ["id": "$response.body#/id"]
        let inRoom = ["id": "$request.path.id"]
        return [
            "POST /api/rooms": [
                "GET /api/rooms/{id}", "PATCH /api/rooms/{id}", "GET /api/rooms/{id}/messages", "POST /api/rooms/{id}/messages",
                "POST /api/rooms/{id}/read", "POST /api/rooms/{id}/attachments", "GET /api/rooms/{id}/webhooks",
                "POST /api/rooms/{id}/webhooks", "POST /api/rooms/{id}/participants",
            ].map { ($0, room) },
            "POST /api/rooms/{id}/messages": [
                "PATCH /api/messages/{id}", "PUT /api/messages/{id}/reactions/{emoji}", "DELETE /api/messages/{id}/reactions/{emoji}",
            ].map { ($0, ["id": "$response.body#/id"]) },
            "POST /api/rooms/{id}/attachments": [("GET /api/attachments/{id}", ["id": "$response.body#/id"])],
            "POST /api/rooms/{id}/webhooks": [("DELETE /api/rooms/{id}/webhooks/{hook}", inRoom.merging(["hook": "$response.body#/id"]) { $1 })],
        ]
    }

    static var server: [Op] {
        [
            Op(method: "GET", path: "/health", summary: "Liveness: the server answers", tag: "server", authenticated: false, responses: [(200, .json("Health"))]),
            Op(method: "GET", path: "/openapi.json", summary: "This document", tag: "server", authenticated: false, responses: [(200, .bytes("application/json"))]),
            Op(method: "GET", path: "/metrics", summary: "Prometheus metrics (not here when the server runs with --metrics-listen)", tag: "server",
               authenticated: false, responses: [(200, .text)]),
            Op(method: "GET", path: "/ws/chat", summary: "The WebSocket endpoint: upgrade with a bearer token (or ?token=); without an upgrade, an error",
               tag: "server", parameters: [Op.query("token", JSONSchema.string, "The access token, for clients that cannot set headers")], responses: []),
        ]
    }

    static var accounts: [Op] {
        [
            Op(method: "POST", path: "/api/auth/register", summary: "Create an account and log in", tag: "auth", authenticated: false,
               requestBody: .json("RegisterRequest"), responses: [(201, .json("AuthResponse"))]),
            Op(method: "POST", path: "/api/auth/login", summary: "Log in", tag: "auth", authenticated: false,
               requestBody: .json("LoginRequest"), responses: [(200, .json("AuthResponse"))]),
            Op(method: "POST", path: "/api/auth/logout", summary: "Revoke the caller's token on every node", tag: "auth", responses: [(204, nil)]),
            Op(method: "GET", path: "/api/users/me", summary: "The caller", tag: "users", responses: [(200, .json("User"))]),
            Op(method: "GET", path: "/api/users/search", summary: "Users by username or display name, or by id prefix", tag: "users",
               parameters: [
                   Op.query("q", JSONSchema.string, "Part of a username or display name"),
                   Op.query("id_prefix", JSONSchema.string, "The first hex digits of an id (4 or more)"),
               ],
               responses: [(200, .json("[User]"))]),
            Op(method: "GET", path: "/api/users/{id}", summary: "A user, with presence", tag: "users", responses: [(200, .json("User"))]),
        ]
    }

    static var social: [Op] {
        [
            Op(method: "GET", path: "/api/friends", summary: "The caller's friends, with presence", tag: "friends", responses: [(200, .json("[User]"))]),
            Op(method: "GET", path: "/api/friends/requests", summary: "Friend requests to and from the caller", tag: "friends",
               responses: [(200, .json("FriendRequestList"))]),
            Op(method: "POST", path: "/api/friends/requests", summary: "Ask a user to be friends (accepts theirs if they asked first)", tag: "friends",
               requestBody: .json("UserReference"), responses: [(201, .json("FriendRequest")), (200, .json("FriendRequest"))]),
            Op(method: "POST", path: "/api/friends/requests/{id}/accept", summary: "Accept a friend request", tag: "friends",
               responses: [(200, .json("FriendRequest"))]),
            Op(method: "POST", path: "/api/friends/requests/{id}/decline", summary: "Decline a friend request", tag: "friends", responses: [(204, nil)]),
            Op(method: "DELETE", path: "/api/friends/{id}", summary: "End a friendship", tag: "friends", responses: [(204, nil)]),
            Op(method: "GET", path: "/api/blocks", summary: "Users the caller blocked", tag: "blocks", responses: [(200, .json("[User]"))]),
            Op(method: "POST", path: "/api/blocks", summary: "Block a user", tag: "blocks", requestBody: .json("UserReference"),
               responses: [(201, .json("User"))]),
            Op(method: "DELETE", path: "/api/blocks/{id}", summary: "Unblock a user", tag: "blocks", responses: [(204, nil)]),
        ]
    }

    static var rooms: [Op] {
        [
            Op(method: "GET", path: "/api/rooms", summary: "The caller's rooms, with unread counts and last messages", tag: "rooms",
               responses: [(200, .json("[Room]"))]),
            Op(method: "POST", path: "/api/rooms", summary: "Create a group, or open the direct room with a user (200 when it exists)", tag: "rooms",
               requestBody: .json("CreateRoomRequest"), responses: [(201, .json("Room")), (200, .json("Room"))]),
            Op(method: "GET", path: "/api/rooms/{id}", summary: "A room, with its participants", tag: "rooms", responses: [(200, .json("Room"))]),
            Op(method: "PATCH", path: "/api/rooms/{id}", summary: "Rename a group", tag: "rooms", requestBody: .json("RenameRoomRequest"),
               responses: [(200, .json("Room"))]),
            Op(method: "DELETE", path: "/api/rooms/{id}", summary: "Delete a room (its owner)", tag: "rooms", responses: [(204, nil)]),
            Op(method: "POST", path: "/api/rooms/{id}/participants", summary: "Add users to a group", tag: "rooms",
               requestBody: .json("AddParticipantsRequest"), responses: [(200, .json("Room"))]),
            Op(method: "DELETE", path: "/api/rooms/{id}/participants/{user}", summary: "Remove a user from a group (one's own id: leave)",
               tag: "rooms", responses: [(204, nil)]),
        ]
    }

    static var messages: [Op] {
        let seq = JSONSchema.Object(dictionaryLiteral: ("type", "integer"), ("minimum", 0))
        return [
            Op(method: "GET", path: "/api/rooms/{id}/messages", summary: "A page of a room's messages, oldest first", tag: "messages",
               parameters: [
                   Op.query("before_seq", seq, "Messages before this seq (the newest page without it)"),
                   Op.query("after_seq", seq, "Messages after this seq"),
                   Op.query("limit", JSONSchema.Object(dictionaryLiteral: ("type", "integer"), ("minimum", 1), ("maximum", 200)), "At most 200"),
               ],
               responses: [(200, .json("[Message]"))]),
            Op(method: "POST", path: "/api/rooms/{id}/messages", summary: "Send a message (200 with the original for a repeated client_msg_id)",
               tag: "messages", requestBody: .json("PostMessageRequest"), responses: [(201, .json("Message")), (200, .json("Message"))]),
            Op(method: "POST", path: "/api/rooms/{id}/read", summary: "Move the caller's read marker", tag: "messages",
               requestBody: .json("MarkReadRequest"), responses: [(200, .json("ReadState"))]),
            Op(method: "PATCH", path: "/api/messages/{id}", summary: "Edit a message (its sender)", tag: "messages",
               requestBody: .json("EditMessageRequest"), responses: [(200, .json("Message"))]),
            Op(method: "DELETE", path: "/api/messages/{id}", summary: "Delete a message (its sender or the room's owner)", tag: "messages",
               responses: [(204, nil)]),
            Op(method: "PUT", path: "/api/messages/{id}/reactions/{emoji}", summary: "React with an emoji (percent-encoded)", tag: "messages",
               responses: [(204, nil)]),
            Op(method: "DELETE", path: "/api/messages/{id}/reactions/{emoji}", summary: "Take a reaction back", tag: "messages",
               responses: [(204, nil)]),
            Op(method: "GET", path: "/api/messages/search", summary: "Search the caller's rooms", tag: "messages",
               parameters: [
                   Op.query("q", JSONSchema.string, "Words to find"),
                   Op.query("id_prefix", JSONSchema.string, "The first hex digits of a message id (4 or more)"),
                   Op.query("room_id", JSONSchema.id, "Only this room"),
               ],
               responses: [(200, .json("[Message]"))]),
        ]
    }

    static var files: [Op] {
        [
            Op(method: "POST", path: "/api/rooms/{id}/attachments", summary: "Upload a file to send in the room (the raw bytes as the body)",
               tag: "files", parameters: [Op.query("filename", JSONSchema.string, "The file's name")],
               requestBody: .bytes("application/octet-stream"), responses: [(201, .json("AttachmentInfo"))]),
            Op(method: "GET", path: "/api/attachments/{id}", summary: "Download a file (Range requests answer 206)", tag: "files",
               responses: [(200, .bytes("application/octet-stream")), (206, .bytes("application/octet-stream"))]),
        ]
    }

    static var webhooks: [Op] {
        [
            Op(method: "GET", path: "/api/rooms/{id}/webhooks", summary: "A room's incoming webhooks", tag: "webhooks",
               responses: [(200, .json("[Webhook]"))]),
            Op(method: "POST", path: "/api/rooms/{id}/webhooks", summary: "Create an incoming webhook; its url (with the secret) is shown only now",
               tag: "webhooks", requestBody: .json("CreateWebhookRequest"), responses: [(201, .json("Webhook"))]),
            Op(method: "DELETE", path: "/api/rooms/{id}/webhooks/{hook}", summary: "Delete a webhook (its creator or the room's owner)",
               tag: "webhooks", responses: [(204, nil)]),
            Op(method: "POST", path: "/hooks/{secret}", summary: "Post to a room through a webhook: Slack's JSON shape, or text/plain",
               tag: "webhooks", authenticated: false, requestBody: .jsonOrText("SlackMessage"), responses: [(200, .text)]),
        ]
    }
}
