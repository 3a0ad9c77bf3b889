import Foundation
import Synchronization

/// A child process whose pipes are read on threads of their own, so a test waiting for its
/// output or its exit never blocks Swift's cooperative pool (on two cores, two blocked tests
/// would stall every other test, and the server under test with them).
///
/// Spawned with every descriptor but its three pipes closed: tests run in parallel, and a descriptor that reached another test's child
/// (NIO's sockets are not close-on-exec; Foundation's `Process` closed only those open when it
/// looked) kept a pipe or a connection open until that child exited, so a test waiting for EOF
/// waited as long.
package final class ChildProcess: Sendable {
    package let pid: pid_t
    /// Standard output, a line at a time (without the newline), finished at end of file.
    package let lines: AsyncStream<String>
    private let input: FileHandle
    private let errorOutput: Task<Data, Never>
    private let errorsSoFar = ReadSoFar()
    private let exit: Task<Int32, Never>
    private let reaped = Reaped()

    /// With `outputReaderGone`, the child's stdout is a pipe nobody reads any more: its first
    /// write fails with EPIPE, or ends it by SIGPIPE unless it ignores that.
    package init(
        _ executable: URL, _ arguments: [String], environment: [String: String]? = nil, directory: URL? = nil, outputReaderGone: Bool = false
    ) throws {
        let stdin = try Self.pipe(), stdout = try Self.pipe(), stderr = try Self.pipe()
        _ = Self.ignoreBrokenPipes
        if outputReaderGone { close(stdout.read) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdin.read, 0)
        posix_spawn_file_actions_adddup2(&actions, stdout.write, 1)
        posix_spawn_file_actions_adddup2(&actions, stderr.write, 2)
        guard Spawn.closeFrom(&actions, 3) == 0 else { throw TestFailure("posix_spawn_file_actions_addclosefrom_np failed") }
        if let directory, Spawn.changeDirectory(&actions, directory.path) != 0 {
            throw TestFailure("posix_spawn_file_actions_addchdir_np failed")
        }

        let spawned = Spawn.start(executable, arguments, environment: environment ?? ProcessInfo.processInfo.environment, actions: &actions)
        for descriptor in [stdin.read, stdout.write, stderr.write] { close(descriptor) }
        let pid: pid_t
        do {
            pid = try spawned.get()
        } catch {
            for descriptor in [stdin.write, stderr.read] + (outputReaderGone ? [] : [stdout.read]) { close(descriptor) }
            throw error
        }
        self.pid = pid
        input = FileHandle(fileDescriptor: stdin.write, closeOnDealloc: true)

        let (lines, continuation) = AsyncStream.makeStream(of: String.self)
        self.lines = lines
        if outputReaderGone {
            continuation.finish()
        } else {
            let reader = FileHandle(fileDescriptor: stdout.read, closeOnDealloc: true)
            Thread.detachNewThread {
                while let line = reader.readLine() { continuation.yield(line) }
                continuation.finish()
            }
        }
        let errorReader = FileHandle(fileDescriptor: stderr.read, closeOnDealloc: true)
        errorOutput = Task { [errorsSoFar] in
            await onThread {
                while case let chunk = errorReader.availableData, !chunk.isEmpty {
                    errorsSoFar.data.withLock { $0.append(chunk) }
                }
                return errorsSoFar.data.withLock { $0 }
            }
        }
        exit = Task { [reaped, pid] in
            await onThread {
                var raw: Int32 = 0
                while waitpid(pid, &raw, 0) == -1 && errno == EINTR {}
                reaped.done.withLock { $0 = true }
                // As Foundation's Process says it: the exit code, or the number of the signal.
                return raw & 0x7f == 0 ? (raw >> 8) & 0xff : raw & 0x7f
            }
        }
    }

    /// A pipe whose ends no child gets but through the spawn's own actions (every spawn of the
    /// tests closes what it does not pass on; close-on-exec covers any other).
    private static func pipe() throws -> (read: Int32, write: Int32) {
        var descriptors: [Int32] = [-1, -1]
        guard Glibc.pipe(&descriptors) == 0 else { throw TestFailure("pipe: \(String(cString: strerror(errno)))") }
        for descriptor in descriptors { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        return (descriptors[0], descriptors[1])
    }

    /// A write to a child that exited fails with EPIPE instead of killing the test process.
    private static let ignoreBrokenPipes: Void = {
        _ = Glibc.signal(SIGPIPE, SIG_IGN)
    }()

    /// Runs a command to the end: what it printed and how it exited.
    package static func run(
        _ executable: URL, _ arguments: [String], environment: [String: String]? = nil, directory: URL? = nil, input: String? = nil
    ) async throws -> (status: Int32, stdout: [String], stderr: String) {
        let child = try ChildProcess(executable, arguments, environment: environment, directory: directory)
        if let input { child.write(input) }
        child.closeInput()
        var stdout: [String] = []
        for await line in child.lines { stdout.append(line) }
        return (await child.exitStatus(), stdout, await child.stderr())
    }

    /// Writes to the child's stdin; a child that exited already just does not read it (a test
    /// then fails on what the child printed, not on a broken pipe here).
    package func write(_ text: String) {
        try? input.write(contentsOf: Data(text.utf8))
    }

    package func closeInput() {
        try? input.close()
    }

    /// Signals the child, unless it was already reaped (its pid may belong to another by then).
    package func signal(_ signal: Int32) {
        reaped.done.withLock { done in
            if !done { kill(pid, signal) }
        }
    }

    /// The exit code, or the number of the signal that ended the child.
    package func exitStatus() async -> Int32 {
        await exit.value
    }

    /// What the child wrote to stderr until now, while it runs.
    package func stderrSoFar() -> String {
        String(decoding: errorsSoFar.data.withLock { $0 }, as: UTF8.self)
    }

    /// Everything written to stderr; waits for the child to close it (usually at exit).
    package func stderr() async -> String {
        String(decoding: await errorOutput.value, as: UTF8.self)
    }
}

/// Output read from a child while it runs.
private final class ReadSoFar: Sendable {
    let data = Mutex(Data())
}

/// Whether the child's exit was collected (its pid is free for another process then).
private final class Reaped: Sendable {
    let done = Mutex(false)
}

/// Runs blocking work on a thread of its own and awaits the result.
package func onThread<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread.detachNewThread { continuation.resume(returning: work()) }
    }
}

extension FileHandle {
    /// One line (without the newline), or nil at end of file. Blocking: call it on a thread.
    package func readLine() -> String? {
        var line = Data()
        while true {
            let byte = readData(ofLength: 1)
            if byte.isEmpty { return line.isEmpty ? nil : String(decoding: line, as: UTF8.self) }
            if byte == Data("\n".utf8) { return String(decoding: line, as: UTF8.self) }
            line.append(byte)
        }
    }
}
