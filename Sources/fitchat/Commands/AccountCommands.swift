import ArgumentParser
import FitChatClient
import FitChatProtocol

struct RegisterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "register", abstract: "Create an account and log in to it.")

    @Argument(help: "The username to take.") var username: String
    @Option(help: "A display name.") var displayName: String?
    @Flag(help: "Read the password from the first line of stdin.") var passwordStdin = false
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await runClient(global, requiresLogin: false) { context throws(ClientError) in
            let password = try PasswordReader.read(fromStdin: passwordStdin, prompt: "password for new user \(username): ")
            let auth = try await context.api.register(RegisterRequest(username: username, password: password, displayName: displayName))
            try saveLogin(auth, context: context)
            context.output.emit(auth.user, human: "registered and logged in as \(auth.user.username) (id \(auth.user.id))")
        }
    }
}

struct LoginCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login", abstract: "Log in and keep the token (mode 0600) in the profile."
    )

    @Argument(help: "Your username.") var username: String
    @Flag(help: "Read the password from the first line of stdin.") var passwordStdin = false
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await runClient(global, requiresLogin: false) { context throws(ClientError) in
            let password = try PasswordReader.read(fromStdin: passwordStdin, prompt: "password for \(username): ")
            let auth = try await context.api.login(LoginRequest(username: username, password: password))
            try saveLogin(auth, context: context)
            context.output.emit(auth.user, human: "logged in as \(auth.user.username) (id \(auth.user.id)) on \(context.api.server)")
        }
    }
}

/// The profile remembers the server and user; the token goes to its own private file.
private func saveLogin(_ auth: AuthResponse, context: CommandContext) throws(ClientError) {
    try context.store.save(Profile(server: context.api.server.description, username: auth.user.username, userID: auth.user.id))
    try context.store.saveToken(auth.accessToken)
}

struct LogoutCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logout",
        abstract: "Revoke this profile's token on the server and forget it.",
        discussion: "The token is forgotten here even when the server cannot be reached (then it says so and exits 69)."
    )

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await runClient(global, requiresLogin: false) { context throws(ClientError) in
            guard context.api.token != nil else {
                if !context.output.json { context.output.line("profile \(context.store.name) was not logged in") }
                return
            }
            defer { context.store.forgetToken() }
            do throws(ClientError) {
                try await context.api.logout()
            } catch .refused(.unauthorized, _, _) {
                // Expired or revoked already: nothing left to revoke.
            }
            if !context.output.json { context.output.line("logged out of profile \(context.store.name); the token is revoked") }
        }
    }
}

struct WhoamiCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "whoami", abstract: "Who the token belongs to, asked of the server.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await runClient(global) { context throws(ClientError) in
            let me = try await context.api.me()
            context.output.emit(me, human: "\(me.username) (id \(me.id)) on \(context.api.server), profile \(context.store.name)")
        }
    }
}

struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Print the saved token (for curl and websocat); nothing else ever prints it."
    )

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await runClient(global) { context throws(ClientError) in
            guard let token = context.api.token else { throw .notLoggedIn("not logged in") }
            context.output.emit(["access_token": token], human: token)
        }
    }
}
