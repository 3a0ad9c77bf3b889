import ArgumentParser
import FitChatClient
import FitChatProtocol

struct RoomsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rooms",
        abstract: "List and manage your rooms.",
        discussion: """
            EXAMPLES:
              fitchat rooms                                   # name, short id, type, unread, last message
              fitchat rooms create ops --member ann --member bob
              fitchat rooms show 3f9a                         # a room by a unique id prefix
              fitchat rooms add ops carl
            """,
        subcommands: [List.self, Create.self, Direct.self, Show.self, Rename.self, Add.self, Remove.self, Leave.self, Delete.self],
        defaultSubcommand: List.self
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Your rooms: name, id, type, unread count, last message.")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await runClient(global) { context throws(ClientError) in
                let rooms = try await context.resolver.refreshRooms()
                let ids = ShortIDs(rooms.map(\.id))
                for room in rooms { context.output.emit(room, human: context.output.style.describe(room, ids: ids)) }
            }
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a group room that you own.")
        @Argument(help: "The room's name.") var name: String
        @Option(name: .customLong("member"), help: ArgumentHelp("A user to add (repeatable).", valueName: "user"), completion: Completions.users)
        var members: [String] = []
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await runClient(global) { context throws(ClientError) in
                let references = try await context.resolver.users(members)
                let room = try await context.api.createRoom(
                    CreateRoomRequest(
                        type: .group, name: name,
                        participantIDs: references.compactMap(\.userID).nilIfEmpty,
                        participantUsernames: references.compactMap(\.username).nilIfEmpty
                    )
                )
                context.store.cacheRooms(context.store.cachedRooms() + [room])
                context.output.emit(room, human: "created \(context.output.style.describe(room))")
            }
        }
    }

    struct Direct: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "dm", abstract: "Open (or find) the direct room with a user.")
        @Argument(help: "Username or id.", completion: Completions.users) var user: String
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await runClient(global) { context throws(ClientError) in
                let reference = try await context.resolver.user(user)
                let room = try await context.api.createRoom(CreateRoomRequest(type: .direct, userID: reference.userID, username: reference.username))
                context.store.cacheRooms(context.store.cachedRooms().filter { $0.id != room.id } + [room])
                context.output.emit(room, human: context.output.style.describe(room))
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "A room with its participants.")
        @Argument(help: "Room name, id or @user.", completion: Completions.rooms) var room: String
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await runClient(global) { context throws(ClientError) in
                let info = try await context.resolver.withRoom(room) { id throws(ClientError) in try await context.api.room(id) }
                context.store.cacheUsernames((info.participants ?? []).map(\.username))
                guard !context.output.json else { return context.output.object(info) }
                context.output.line(context.output.style.describe(info))
                let ids = ShortIDs((info.participants ?? []).map(\.id))
                for user in info.participants ?? [] {
                    context.output.line("  " + context.output.style.describe(user, ids: ids) + (user.id == info.ownerID ? " (owner)" : ""))
                }
            }
        }
    }

    struct Rename: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rename", abstract: "Rename a group room.")
        @Argument(help: "Room name, id or @user.", completion: Completions.rooms) var room: String
        @Argument(help: "The new name.") var name: String
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await runClient(global) { context throws(ClientError) in
                let info = try await context.resolver.withRoom(room) { id throws(ClientError) in try await context.api.renameRoom(id, to: name) }
                context.store.cacheRooms(context.store.cachedRooms().filter { $0.id != info.id } + [info])
                context.output.emit(info, human: "renamed: \(context.output.style.describe(info))")
            }
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Add users to a group room.")
        @Argument(help: "Room name, id or @user.", completion: Completions.rooms) var room: String
        @Argument(help: "Usernames or ids.", completion: Completions.users) var users: [String]
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await runClient(global) { context throws(ClientError) in
                let references = try await context.resolver.users(users)
                let request = AddParticipantsRequest(
                    userIDs: references.compactMap(\.userID).nilIfEmpty, usernames: references.compactMap(\.username).nilIfEmpty
                )
                let info = try await context.resolver.withRoom(room) { id throws(ClientError) in try await context.api.addParticipants(id, request) }
                context.output.emit(info, human: "\(context.output.style.describe(info)): \((info.participants ?? []).count) participants")
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "remove", abstract: "Remove users from a group room (owner only).")
        @Argument(help: "Room name, id or @user.", completion: Completions.rooms) var room: String
        @Argument(help: "Usernames or ids.", completion: Completions.users) var users: [String]
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await runClient(global) { context throws(ClientError) in
                let resolver = context.resolver
                let roomID = try await resolver.room(room)
                for user in users {
                    try await context.api.removeParticipant(try await resolver.userID(user), from: roomID)
                }
            }
        }
    }

    struct Leave: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "leave", abstract: "Leave a group room for good.")
        @Argument(help: "Room name, id or @user.", completion: Completions.rooms) var room: String
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await runClient(global) { context throws(ClientError) in
                let me = try await context.api.me()
                try await context.resolver.withRoom(room) { id throws(ClientError) in try await context.api.removeParticipant(me.id, from: id) }
            }
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete a group room (owner only).")
        @Argument(help: "Room name, id or @user.", completion: Completions.rooms) var room: String
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await runClient(global) { context throws(ClientError) in
                let id = try await context.resolver.room(room)
                try await context.api.deleteRoom(id)
                context.store.cacheRooms(context.store.cachedRooms().filter { $0.id != id })
            }
        }
    }
}

extension Array {
    var nilIfEmpty: [Element]? { isEmpty ? nil : self }
}
