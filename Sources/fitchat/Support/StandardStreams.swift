import FitChatClient
import Foundation

/// stdin, stdout and stderr as cron and systemd may hand them over: possibly closed. A closed
/// descriptor 0, 1 or 2 would be the next one the process opens (a socket to the server, the
/// database), and text meant for the terminal would go there; so each closed one is taken by
/// /dev/null at start, and a closed stdin is remembered so that reading it is a clear error.
enum StandardStreams {
    nonisolated(unsafe) private static var stdinWasClosed = false

    /// Run first, before anything opens a descriptor; single-threaded at that point, which is
    /// what makes the unsynchronised flag above safe (it is only read afterwards).
    static func secure() {
        for descriptor in [STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO] where fcntl(descriptor, F_GETFD) == -1 && errno == EBADF {
            if descriptor == STDIN_FILENO { stdinWasClosed = true }
            let opened = open("/dev/null", descriptor == STDIN_FILENO ? O_RDONLY : O_WRONLY)
            if opened >= 0, opened != descriptor {
                dup2(opened, descriptor)
                close(opened)
            }
        }
    }

    /// All of stdin as UTF-8 (invalid bytes replaced); a closed or unreadable stdin is a usage error.
    static func readAll() throws(ClientError) -> String {
        if stdinWasClosed { throw .usage("stdin is closed: give the message as TEXT, or pipe it in") }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(STDIN_FILENO, $0.baseAddress, $0.count) }
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                throw .usage("cannot read stdin: \(String(cString: strerror(errno)))")
            }
            data.append(contentsOf: buffer[0..<count])
        }
        return String(decoding: data, as: UTF8.self)
    }
}
