import ArgumentParser
import FitChatBots
import FitChatClient
import Foundation

/// Where and as whom a client command connects: `--server`, `--profile`. Every client command
/// takes these; commands with output to a script add `--json` through `GlobalOptions`.
struct ConnectionOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Server URL (env FITCHAT_SERVER; default \(ServerAddress.defaultURL)).", valueName: "url"))
    var server: String?

    @Option(help: ArgumentHelp("Profile: one account on one server (env FITCHAT_PROFILE; default 'default').", valueName: "name"))
    var profile: String?

    /// Everything a client command needs: profile, server, token, API, output. Precedence is
    /// flag, then environment, then profile, then default.
    func context(requiresLogin: Bool = true, json: Bool = false, transport: ChatAPI.Transport = .connectionPerCall) throws(ClientError) -> CommandContext {
        let environment = ProcessInfo.processInfo.environment
        let store = try ProfileStore(name: profileName(environment), paths: ClientPaths(environment: environment))
        let token: String? = if let fromEnvironment = environment["FITCHAT_TOKEN"].nonEmpty { fromEnvironment } else { try store.token() }
        if requiresLogin && token == nil {
            throw .notLoggedIn("not logged in: run 'fitchat login USER' (or set FITCHAT_TOKEN)")
        }
        return try context(store: store, token: token, json: json, transport: transport, environment: environment)
    }

    /// The context of one bot of a bots file. A bot with a profile of its own uses that
    /// profile's token, never FITCHAT_TOKEN (which is the supervisor's).
    func context(for account: BotAccount) throws(ClientError) -> CommandContext {
        let environment = ProcessInfo.processInfo.environment
        switch account {
        case .supervisor:
            return try context(transport: .pooled)
        case .profile(let name):
            let store = try ProfileStore(name: name, paths: ClientPaths(environment: environment))
            guard let token = try store.token() else {
                throw .notLoggedIn("profile '\(name)' is not logged in: run 'fitchat --profile \(name) login USER'")
            }
            return try context(store: store, token: token, json: false, transport: .pooled, environment: environment)
        case .tokenFile(let path):
            let store = try ProfileStore(name: profileName(environment), paths: ClientPaths(environment: environment))
            return try context(store: store, token: try Self.token(inFile: path), json: false, transport: .pooled, environment: environment)
        }
    }

    private func profileName(_ environment: [String: String]) -> String {
        profile ?? environment["FITCHAT_PROFILE"].nonEmpty ?? "default"
    }

    private func context(
        store: ProfileStore, token: String?, json: Bool, transport: ChatAPI.Transport, environment: [String: String]
    ) throws(ClientError) -> CommandContext {
        let saved = try store.load()
        let address = try ServerAddress(server ?? environment["FITCHAT_SERVER"].nonEmpty ?? saved.server ?? ServerAddress.defaultURL)
        let api = try ChatAPI(server: address, token: token, caFile: environment["FITCHAT_CA_FILE"].nonEmpty, transport: transport)
        return CommandContext(store: store, profile: saved, api: api, output: Output(json: json, environment: environment))
    }

    /// A token file's first line; like ssh with a key, a file others may read is refused.
    private static func token(inFile path: String) throws(ClientError) -> String {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let data = FileManager.default.contents(atPath: path) else {
            throw .configuration("cannot read the token file \(path)")
        }
        if let mode = attributes[.posixPermissions] as? Int, mode & 0o077 != 0 {
            throw .configuration("the token file \(path) may be read by others: chmod 600 \(path)")
        }
        guard let token = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).first.map(String.init)?
            .trimmingCharacters(in: .whitespaces), !token.isEmpty else {
            throw .configuration("the token file \(path) is empty")
        }
        return token
    }
}

/// The options of client commands that print results: the connection, and `--json`.
struct GlobalOptions: ParsableArguments {
    @OptionGroup var connection: ConnectionOptions

    @Flag(help: "Machine output: one JSON object per line.")
    var json = false

    func context(requiresLogin: Bool = true, transport: ChatAPI.Transport = .connectionPerCall) throws(ClientError) -> CommandContext {
        try connection.context(requiresLogin: requiresLogin, json: json, transport: transport)
    }
}

/// A client command's world for one run.
struct CommandContext: Sendable {
    let store: ProfileStore
    let profile: Profile
    let api: ChatAPI
    let output: Output

    var resolver: NameResolver { NameResolver(api: api, profile: store) }
}

extension Optional where Wrapped == String {
    /// nil for an unset or empty environment variable.
    var nonEmpty: String? {
        guard let self, !self.isEmpty else { return nil }
        return self
    }
}
