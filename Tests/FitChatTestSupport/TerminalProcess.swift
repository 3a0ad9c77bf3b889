import Foundation
import Synchronization

/// A child process on a pseudo-terminal of its own, as a person runs it: the terminal is its
/// controlling terminal (so Ctrl-C is SIGINT), keys are typed into it, and everything it draws
/// is recorded for the test to wait on.
package final class TerminalProcess: Sendable {
    package let pid: pid_t
    private let master: Int32
    package let columns: UInt16
    private let output = Mutex<[UInt8]>([])

    package init(_ executable: URL, _ arguments: [String], environment: [String: String], columns: UInt16 = 120, rows: UInt16 = 40) throws {
        var master: Int32 = -1
        var slave: Int32 = -1
        var size = winsize(ws_row: rows, ws_col: columns, ws_xpixel: 0, ws_ypixel: 0)
        guard openpty(&master, &slave, nil, nil, &size) == 0 else { throw TestFailure("openpty: \(String(cString: strerror(errno)))") }
        defer { Glibc.close(slave) }
        let slavePath = String(cString: ttyname(slave))

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // Opened (not inherited) after setsid, so it becomes the child's controlling terminal.
        posix_spawn_file_actions_addopen(&actions, 0, slavePath, O_RDWR, 0)
        posix_spawn_file_actions_adddup2(&actions, 0, 1)
        posix_spawn_file_actions_adddup2(&actions, 0, 2)
        posix_spawn_file_actions_addclose(&actions, master)
        posix_spawn_file_actions_addclose(&actions, slave)
        // Nothing else of this process reaches the child: NIO's sockets are not close-on-exec, and
        // a server socket a child still holds never closes (its peer waits for EOF forever).
        guard Spawn.closeFrom(&actions, 3) == 0 else { throw TestFailure("posix_spawn_file_actions_addclosefrom_np failed") }

        self.pid = try Spawn.start(executable, arguments, environment: environment, actions: &actions, flags: Self.spawnSetsid).get()
        self.master = master
        self.columns = columns
        Thread.detachNewThread { [self, master] in
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = read(master, &buffer, buffer.count)
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { break }
                self.output.withLock { $0.append(contentsOf: buffer.prefix(count)) }
            }
        }
    }

    /// glibc's POSIX_SPAWN_SETSID (2.26+), which Swift's Glibc module does not export.
    private static let spawnSetsid: Int32 = 0x80

    deinit {
        Glibc.close(master)
    }

    /// Keys, as a person types them ("\t" is Tab, "\u{3}" Ctrl-C, "\u{4}" Ctrl-D, "\r" Enter).
    package func type(_ keys: String) {
        var bytes = Array(keys.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
            guard written > 0 else { return }
            bytes = bytes.dropFirst(written)
        }
    }

    /// Types one key at a time with a pause, as a person does (readline sees separate reads).
    package func typeSlowly(_ keys: String) async throws {
        for key in keys {
            type(String(key))
            try await Task.sleep(for: .milliseconds(15))
        }
    }

    /// The screen as a person sees it now.
    package var screen: TerminalScreen {
        TerminalScreen(width: Int(columns), replaying: String(decoding: output.withLock { $0 }, as: UTF8.self))
    }

    /// The screen's text: one line per row.
    package var text: String { screen.text }

    /// Waits until the screen's text satisfies `condition` (checked every 20 ms), or fails after `timeout`.
    package func waitFor(
        _ what: String, timeout: Duration = .seconds(20), _ condition: (String) -> Bool
    ) async throws {
        let deadline = ContinuousClock.now + timeout
        while !condition(text) {
            guard ContinuousClock.now < deadline else { throw TestFailure("timed out waiting for \(what); the terminal shows:\n\(text)") }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Waits until `needle` is on the screen.
    package func waitFor(_ needle: String, timeout: Duration = .seconds(20)) async throws {
        try await waitFor("\"\(needle)\"", timeout: timeout) { $0.contains(needle) }
    }

    /// Waits until the line with the cursor reads `line` (the prompt and what is typed after it).
    package func waitForInputLine(_ line: String, timeout: Duration = .seconds(20)) async throws {
        let deadline = ContinuousClock.now + timeout
        while screen.cursorLine != line {
            guard ContinuousClock.now < deadline else {
                throw TestFailure("timed out waiting for the input line \"\(line)\"; it reads \"\(screen.cursorLine)\" on:\n\(text)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    package func signal(_ signal: Int32) {
        kill(pid, signal)
    }

    /// The terminal's current modes, as the program left them.
    package func attributes() -> termios {
        var modes = termios()
        tcgetattr(master, &modes)
        return modes
    }

    /// Waits for the exit and returns its status (128 + N for a signal). A program still
    /// running after `timeout` is killed and the test fails, rather than hanging the suite.
    package func exitStatus(timeout: Duration = .seconds(20)) async throws -> Int32 {
        let watchdog = Task { [pid] in
            try await Task.sleep(for: timeout)
            kill(pid, SIGKILL)
        }
        defer { watchdog.cancel() }
        let status = await onThread { [pid] in
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            return status
        }
        let signal = status & 0x7F
        if signal == SIGKILL { throw TestFailure("still running after \(timeout); the terminal shows:\n\(text)") }
        return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
    }
}
