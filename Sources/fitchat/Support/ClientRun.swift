import ArgumentParser
import FitChatClient
import FitChatProtocol
import FitChatServer
import Foundation

/// Runs a client command: builds its context, runs it, shuts the client down, and turns a
/// `ClientError` into one stderr line and the exit code of CLI.md. This file is the only place
/// that maps failures to exit codes (client errors, the server's start-up, a bot's own status).
/// A command that lives on (`tail`) asks for the `.pooled` transport; one-shot commands don't.
func runClient(
    _ options: GlobalOptions, requiresLogin: Bool = true, transport: ChatAPI.Transport = .connectionPerCall,
    _ body: (CommandContext) async throws(ClientError) -> Void
) async throws {
    try await runClient(options.connection, json: options.json, requiresLogin: requiresLogin, transport: transport, body)
}

/// The same for commands without `--json` (the REPL, the bot runner).
func runClient(
    _ options: ConnectionOptions, json: Bool = false, requiresLogin: Bool = true, transport: ChatAPI.Transport = .connectionPerCall,
    _ body: (CommandContext) async throws(ClientError) -> Void
) async throws {
    let failure: ClientError?
    do {
        let context = try options.context(requiresLogin: requiresLogin, json: json, transport: transport)
        do {
            try await body(context)
            failure = nil
        } catch {
            failure = error
        }
        await context.api.shutdown()
    } catch {
        failure = error
    }
    if let failure { throw reported(failure) }
}

/// The error as one stderr line, and the exit that goes with it.
func reported(_ error: ClientError) -> ExitCode {
    Output.error(error.description)
    return ExitCode(exitCode(for: error))
}

/// CLI.md's table: 1 refused, 64 usage, 69 unreachable, 75 temporary, 77 credentials or
/// permission, 78 configuration.
func exitCode(for error: ClientError) -> Int32 {
    switch error {
    case .unreachable: 69
    case .notLoggedIn: 77
    case .refused(let code, _, _):
        switch code {
        case .unauthorized, .tokenExpired, .forbidden, .blocked, .notAMember: 77
        case .rateLimited: 75
        default: 1
        }
    case .unresolved, .protocolViolation: 1
    case .timedOut: 75
    case .configuration: 78
    case .usage: 64
    }
}

/// Runs the bundled server; a start-up problem (a port in use, an unusable database) is one
/// stderr line and exit 78: the configuration has to change.
func runServer(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as ServerStartupError {
        Output.error(error.description)
        throw ExitCode(78)
    }
}

/// A bot's own exit status passes through (`--restart never`, `bot test`): 0 returns normally.
func passBotStatus(_ status: Int32) throws {
    if status != 0 { throw ExitCode(status) }
}

/// Ends the process for an error out of parsing or running: help and `--version` on stdout
/// (exit 0), a usage error as one `fitchat:` line and one naming `--help` (exit 64), an exit
/// code a command already reported as itself, anything else as one line.
func exitReporting(_ error: any Error, arguments: [String]) -> Never {
    let code = FitChatCommand.exitCode(for: error)
    if let exit = error as? ExitCode { Foundation.exit(exit.rawValue) }
    if code == .success {
        var text = FitChatCommand.fullMessage(for: error)
        if arguments.first == "--generate-completion-script", arguments.dropFirst().first == "bash" { text += "\n" + Completions.bashAddendum }
        if !text.isEmpty { Output.standardOutput(Data((text + "\n").utf8)) }
        Foundation.exit(0)
    }
    let message = FitChatCommand.message(for: error).trimmingCharacters(in: .whitespacesAndNewlines)
    Output.error(message.isEmpty ? "failed" : message)
    if code == .validationFailure {
        let path = (["fitchat"] + CommandLineArguments.commandPath(arguments, root: FitChatCommand.self)).joined(separator: " ")
        Output.error("'\(path) --help' shows how to use it")
    }
    Foundation.exit(code.rawValue)
}
