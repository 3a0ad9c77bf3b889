import ArgumentParser
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
    func context(requiresLogin: Bool = true, json: Bool = false) throws(ClientError) -> CommandContext {
        let environment = ProcessInfo.processInfo.environment
        let paths = ClientPaths(environment: environment)
        let store = try ProfileStore(name: profile ?? environment["FITCHAT_PROFILE"].nonEmpty ?? "default", paths: paths)
        let saved = try store.load()
        let address = try ServerAddress(server ?? environment["FITCHAT_SERVER"].nonEmpty ?? saved.server ?? ServerAddress.defaultURL)
        let token: String? = if let fromEnvironment = environment["FITCHAT_TOKEN"].nonEmpty { fromEnvironment } else { try store.token() }
        if requiresLogin && token == nil {
            throw .notLoggedIn("not logged in: run 'fitchat login USER' (or set FITCHAT_TOKEN)")
        }
        let api = try ChatAPI(server: address, token: token, caFile: environment["FITCHAT_CA_FILE"].nonEmpty)
        return CommandContext(store: store, profile: saved, api: api, output: Output(json: json, environment: environment))
    }
}

/// The options of client commands that print results: the connection, and `--json`.
struct GlobalOptions: ParsableArguments {
    @OptionGroup var connection: ConnectionOptions

    @Flag(help: "Machine output: one JSON object per line.")
    var json = false

    func context(requiresLogin: Bool = true) throws(ClientError) -> CommandContext {
        try connection.context(requiresLogin: requiresLogin, json: json)
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
