import FitChatClient
import Foundation

/// Passwords never come from argv: either the first line of stdin (`--password-stdin`) or a
/// prompt without echo on a terminal. Without a terminal there is no prompt (cron): it fails.
enum PasswordReader {
    static func read(fromStdin: Bool, prompt: String) throws(ClientError) -> String {
        let password: String?
        if fromStdin {
            password = readLine(strippingNewline: true)
        } else {
            guard isatty(STDIN_FILENO) == 1 else {
                throw .notLoggedIn("no terminal to ask for a password: pipe it in with --password-stdin")
            }
            password = promptWithoutEcho(prompt)
        }
        guard let password, !password.isEmpty else { throw .usage("an empty password was given") }
        return password
    }

    private static func promptWithoutEcho(_ prompt: String) -> String? {
        StandardStream.write(prompt, to: STDERR_FILENO)
        var saved = termios()
        tcgetattr(STDIN_FILENO, &saved)
        var silent = saved
        silent.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent)
        defer {
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved)
            StandardStream.write("\n", to: STDERR_FILENO)
        }
        return readLine(strippingNewline: true)
    }
}
