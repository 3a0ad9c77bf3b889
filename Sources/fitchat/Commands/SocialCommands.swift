import ArgumentParser
import FitChatClient
import FitChatProtocol

struct FriendsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "friends",
        abstract: "Friends and friend requests.",
        subcommands: [List.self, Requests.self, Add.self, Accept.self, Decline.self, Remove.self],
        defaultSubcommand: List.self
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Your friends, online first.")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await runClient(global) { context throws(ClientError) in
                let friends = try await context.api.friends().sorted { ($0.isOnline ?? false) && !($1.isOnline ?? false) }
                context.store.cacheUsernames(friends.map(\.username))
                let ids = ShortIDs(friends.map(\.id))
                for friend in friends { context.output.emit(friend, human: context.output.style.describe(friend, ids: ids)) }
            }
        }
    }

    struct Requests: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "requests", abstract: "Pending requests, incoming and outgoing.")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await runClient(global) { context throws(ClientError) in
                let list = try await context.api.friendRequests()
                context.store.cacheUsernames(list.incoming.map(\.from.username) + list.outgoing.map(\.to.username))
                let ids = ShortIDs(list.incoming.map(\.from.id) + list.outgoing.map(\.to.id))
                for request in list.incoming {
                    context.output.emit(request, human: "from \(context.output.style.describe(request.from, ids: ids))")
                }
                for request in list.outgoing {
                    context.output.emit(request, human: "to   \(context.output.style.describe(request.to, ids: ids))")
                }
            }
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Send a friend request (accepts theirs if they asked first).")
        @Argument(help: "Username or id.", completion: Completions.users) var user: String
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await runClient(global) { context throws(ClientError) in
                let request = try await context.api.requestFriendship(try await context.resolver.user(user))
                let human = request.status == .accepted ? "you and \(request.to.username) are friends" : "request sent to \(request.to.username)"
                context.output.emit(request, human: human)
            }
        }
    }

    struct Accept: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "accept", abstract: "Accept a user's friend request.")
        @Argument(help: "Username or id.", completion: Completions.users) var user: String
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await runClient(global) { context throws(ClientError) in
                let request = try await incomingRequest(from: user, context: context)
                let accepted = try await context.api.acceptFriendRequest(request.id)
                context.output.emit(accepted, human: "you and \(request.from.username) are friends")
            }
        }
    }

    struct Decline: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "decline", abstract: "Decline a user's friend request.")
        @Argument(help: "Username or id.", completion: Completions.users) var user: String
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await runClient(global) { context throws(ClientError) in
                let request = try await incomingRequest(from: user, context: context)
                try await context.api.declineFriendRequest(request.id)
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "remove", abstract: "End a friendship.")
        @Argument(help: "Username or id.", completion: Completions.users) var user: String
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await runClient(global) { context throws(ClientError) in
                try await context.api.removeFriend(try await context.resolver.userID(user))
            }
        }
    }
}

/// The pending request `user` sent the caller.
private func incomingRequest(from user: String, context: CommandContext) async throws(ClientError) -> FriendRequestInfo {
    let reference = try await context.resolver.user(user)
    let incoming = try await context.api.friendRequests().incoming
    guard let request = incoming.first(where: { $0.from.id == reference.userID || $0.from.username.lowercased() == reference.username?.lowercased() })
    else { throw .unresolved("no pending friend request from \(user)") }
    return request
}

struct BlockCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "block", abstract: "Block a user: no DMs, requests or invitations from them; you see nothing of theirs."
    )
    @Argument(help: "Username or id.", completion: Completions.users) var user: String
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await runClient(global) { context throws(ClientError) in
            let blocked = try await context.api.block(try await context.resolver.user(user))
            context.output.emit(blocked, human: "blocked \(blocked.username)")
        }
    }
}

struct UnblockCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "unblock", abstract: "Lift a block.")
    @Argument(help: "Username or id.", completion: Completions.users) var user: String
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await runClient(global) { context throws(ClientError) in
            let blocked = try await context.api.blocks()
            let reference = try await context.resolver.user(user)
            guard let target = blocked.first(where: { $0.id == reference.userID || $0.username.lowercased() == reference.username?.lowercased() }) else {
                throw .unresolved("\(user) is not blocked")
            }
            try await context.api.unblock(target.id)
        }
    }
}

struct BlocksCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "blocks", abstract: "The users you block.")
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await runClient(global) { context throws(ClientError) in
            let users = try await context.api.blocks()
            let ids = ShortIDs(users.map(\.id))
            for user in users { context.output.emit(user, human: context.output.style.describe(user, ids: ids)) }
        }
    }
}

struct SearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search", abstract: "Search users, or messages in your rooms.", subcommands: [Users.self, Messages.self]
    )

    struct Users: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "users", abstract: "Users by username or display name.")
        @Argument(help: "Part of a name.") var query: String
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await runClient(global) { context throws(ClientError) in
                let users = try await context.api.searchUsers(query)
                context.store.cacheUsernames(users.map(\.username))
                let ids = ShortIDs(users.map(\.id))
                for user in users { context.output.emit(user, human: context.output.style.describe(user, ids: ids)) }
            }
        }
    }

    struct Messages: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "messages", abstract: "Full-text search over your rooms' messages.")
        @Argument(help: "Words to find.") var query: String
        @Option(help: "Only this room.", completion: Completions.rooms) var room: String?
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await runClient(global) { context throws(ClientError) in
                let roomID: RoomID? = if let room { try await context.resolver.room(room) } else { nil }
                let messages = try await context.api.searchMessages(query, roomID: roomID)
                var rooms = context.store.cachedRooms()
                if messages.contains(where: { message in !rooms.contains { $0.id == message.roomID } }) {
                    rooms = try await context.resolver.refreshRooms()
                }
                let names = Dictionary(rooms.map { ($0.id, ($0.type == .direct ? "@" : "") + ($0.name ?? "")) }, uniquingKeysWith: { first, _ in first })
                let ids = ShortIDs(messages: messages)
                for message in messages {
                    context.output.emit(message, human: context.output.style.describe(message, room: names[message.roomID], ids: ids))
                }
            }
        }
    }
}
