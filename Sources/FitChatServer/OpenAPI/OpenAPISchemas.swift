/// The request and response bodies of the REST API, as `components.schemas`: the field names
/// of the wire types in `FitChatProtocol`, ids as UUID strings, times as RFC 3339.
enum OpenAPISchemas {
    typealias S = JSONSchema

    static var all: JSONSchema.Object {
        [
            "Error": S.object(required: [
                "error": S.object(required: ["code": S.errorCode, "message": S.string], optional: ["retry_after_ms": S.integer]),
            ], description: "Every failure: a wire code and a message for people."),
            "Health": S.object(required: ["status": S.string(enumerating: ["ok"])]),
            "RegisterRequest": S.object(
                required: ["username": S.string, "password": S.string], optional: ["display_name": S.string]
            ),
            "LoginRequest": S.object(required: ["username": S.string, "password": S.string]),
            "AuthResponse": S.object(required: [
                "access_token": S.string, "token_type": S.string(enumerating: ["bearer"]), "expires_in": S.integer, "user": S.ref("User"),
            ]),
            "User": S.object(
                required: ["id": S.id, "username": S.string, "created_at": S.dateTime],
                optional: ["display_name": S.string, "is_online": S.boolean, "last_seen": S.dateTime, "is_hook": S.boolean]
            ),
            "UserReference": S.object(optional: ["user_id": S.id, "username": S.string], description: "A user by id or by username."),
            "FriendRequest": S.object(required: [
                "id": S.id, "from": S.ref("User"), "to": S.ref("User"), "status": S.string(enumerating: ["pending", "accepted"]),
                "created_at": S.dateTime,
            ]),
            "FriendRequestList": S.object(required: [
                "incoming": S.array(S.ref("FriendRequest")), "outgoing": S.array(S.ref("FriendRequest")),
            ]),
            "Room": S.object(
                required: ["id": S.id, "type": S.string(enumerating: ["direct", "group"]), "created_at": S.dateTime, "last_seq": S.integer],
                optional: [
                    "name": S.string, "owner_id": S.id, "participants": S.array(S.ref("User")), "unread_count": S.integer,
                    "last_message": S.ref("Message"),
                ]
            ),
            "CreateRoomRequest": S.object(
                required: ["type": S.string(enumerating: ["direct", "group"])],
                optional: [
                    "user_id": S.id, "username": S.string, "name": S.string, "participant_ids": S.array(S.id),
                    "participant_usernames": S.array(S.string),
                ],
                description: "A direct room names the other user (user_id or username); a group has a name."
            ),
            "RenameRoomRequest": S.object(required: ["name": S.string]),
            "AddParticipantsRequest": S.object(optional: ["user_ids": S.array(S.id), "usernames": S.array(S.string)]),
            "Message": S.object(
                required: [
                    "id": S.id, "room_id": S.id, "sender_id": S.id, "content": S.string, "created_at": S.dateTime, "seq": S.integer,
                    "sender_username": S.string, "message_type": S.string,
                ],
                optional: [
                    "reply_to_id": S.id, "client_msg_id": S.string, "edited_at": S.dateTime, "deleted": S.boolean,
                    "reactions": S.array(S.ref("ReactionCount")), "attachment": S.ref("AttachmentInfo"),
                ]
            ),
            "ReactionCount": S.object(required: ["emoji": S.string, "count": S.integer, "user_ids": S.array(S.id)]),
            "PostMessageRequest": S.object(
                optional: [
                    "content": S.string, "message_type": S.string(enumerating: ["text", "file", "image"]), "reply_to_id": S.id,
                    "client_msg_id": S.string(maxLength: 64), "attachment_id": S.id,
                ],
                description: "A text message needs content; a file message names an uploaded attachment."
            ),
            "EditMessageRequest": S.object(required: ["content": S.string]),
            "MarkReadRequest": S.object(optional: ["up_to_seq": S.integer, "message_ids": S.array(S.id)]),
            "ReadState": S.object(required: ["room_id": S.id, "last_read_seq": S.integer, "unread_count": S.integer]),
            "AttachmentInfo": S.object(required: [
                "id": S.id, "filename": S.string, "content_type": S.string, "size": S.integer, "sha256": S.string,
            ]),
            "Webhook": S.object(
                required: ["id": S.id, "room_id": S.id, "name": S.string, "user_id": S.id, "creator_id": S.id, "created_at": S.dateTime],
                optional: ["url": S.string]
            ),
            "CreateWebhookRequest": S.object(required: ["name": S.string]),
            "SlackMessage": S.object(
                optional: [
                    "text": S.string,
                    "attachments": S.array(
                        S.object(optional: [
                            "pretext": S.string, "title": S.string, "text": S.string, "fallback": S.string,
                            "fields": S.array(S.object(optional: ["title": S.string, "value": S.string])),
                        ])
                    ),
                ],
                description: "Slack's incoming-webhook shape, as Alertmanager, Grafana and CI systems send it."
            ),
        ]
    }
}
