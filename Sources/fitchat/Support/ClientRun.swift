import ArgumentParser
import FitChatClient
import FitChatProtocol
import Foundation

/// Runs a client command: builds its context, runs it, shuts the client down, and turns a
/// `ClientError` into one stderr line and the exit code of CLI.md. The only place that maps them.
func runClient(
    _ options: GlobalOptions, requiresLogin: Bool = true, _ body: (CommandContext) async throws(ClientError) -> Void
) async throws {
    let failure: ClientError?
    do {
        let context = try options.context(requiresLogin: requiresLogin)
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
