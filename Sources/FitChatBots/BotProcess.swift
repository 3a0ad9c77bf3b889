import FitChatClient
import Foundation
import Synchronization

/// One run of a bot's executable with stdin, stdout and stderr piped. Foundation's `Process`
/// puts the child in a process group of its own, so signals go to the bot and whatever it
/// started (a shell bot's `jq`), and none is left behind.
final class BotProcess: Sendable {
    let pid: Int32
    /// Standard output, a line at a time, read on a thread of its own.
    let outputLines: AsyncStream<String>
    let startedAt = ContinuousClock.now
    private let process: Process
    private let input: FileHandle
    private let exitLatch = Latch<BotExit>()
    /// Opened when stderr reached its end: every line the bot wrote there was handed on.
    private let errorsRead = Latch<Void>()

    /// Starts `command` (looked up in PATH when it has no slash) with `environment`. Each line
    /// the bot writes to stderr goes to `errorLine`, on the reading thread, so none is lost to a
    /// consumer that was cancelled when the bot exited.
    init(_ command: [String], environment: [String: String], errorLine: @escaping @Sendable (String) -> Void) throws(ClientError) {
        guard let executable = command.first else { throw .configuration("no bot executable given") }
        let path = try Self.locate(executable, path: environment["PATH"])
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = Array(command.dropFirst())
        process.environment = environment
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        let latch = exitLatch
        let errorsRead = errorsRead
        process.terminationHandler = { finished in
            latch.open(finished.terminationReason == .uncaughtSignal ? .signal(finished.terminationStatus) : .code(finished.terminationStatus))
        }
        do {
            try process.run()
        } catch {
            throw .configuration("cannot start the bot '\(executable)': \(error.localizedDescription)")
        }
        self.process = process
        pid = process.processIdentifier
        input = stdin.fileHandleForWriting
        // A page, not the default 64 KiB: the inbox's bound, not the kernel, decides how far
        // a slow bot may fall behind before events are dropped.
        _ = fcntl(input.fileDescriptor, Self.setPipeSize, 4096)
        let (lines, sink) = AsyncStream.makeStream(of: String.self)
        outputLines = lines
        Self.readLines(of: stdout.fileHandleForReading, { sink.yield($0) }, ended: { sink.finish() })
        Self.readLines(of: stderr.fileHandleForReading, errorLine, ended: { errorsRead.open(()) })
    }

    /// Writes one line to the bot's stdin. Blocks while the bot does not read: call it from
    /// the inbox's writer thread, never from the cooperative pool.
    func write(line: String) throws {
        try input.write(contentsOf: Data((line + "\n").utf8))
    }

    func closeInput() {
        try? input.close()
    }

    /// Signals the bot's whole process group.
    func signal(_ number: Int32) {
        kill(-pid, number)
    }

    /// How the bot ended, once its last stderr lines are logged (waiting at most a second for
    /// them: a child it left behind may hold stderr open). Waits even in a cancelled task
    /// (whoever cancels also kills), and may be awaited by several tasks.
    func exit() async -> BotExit {
        let exit = await exitLatch.wait()
        for _ in 0..<50 where !errorsRead.isOpen {
            try? await Task.sleep(for: .milliseconds(20))
        }
        return exit
    }

    /// Linux's F_SETPIPE_SZ, which Swift's Glibc module does not export.
    private static let setPipeSize: Int32 = 1031

    /// Reads `handle` to its end on a thread of its own, a line at a time.
    private static func readLines(of handle: FileHandle, _ line: @escaping @Sendable (String) -> Void, ended: @escaping @Sendable () -> Void) {
        Thread.detachNewThread {
            var pending = Data()
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                pending.append(chunk)
                while let newline = pending.firstIndex(of: 0x0A) {
                    line(String(decoding: pending[pending.startIndex..<newline], as: UTF8.self))
                    pending.removeSubrange(pending.startIndex...newline)
                }
            }
            if !pending.isEmpty { line(String(decoding: pending, as: UTF8.self)) }
            ended()
        }
    }

    /// The executable's path; a file that exists but may not be run says so.
    private static func locate(_ executable: String, path: String?) throws(ClientError) -> String {
        if executable.contains("/") {
            guard FileManager.default.fileExists(atPath: executable) else { throw .configuration("cannot find the bot executable '\(executable)'") }
            guard FileManager.default.isExecutableFile(atPath: executable) else {
                throw .configuration("the bot executable '\(executable)' is not executable (chmod +x \(executable))")
            }
            return executable
        }
        let directories = (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":")
        guard let found = directories.map({ "\($0)/\(executable)" }).first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw .configuration("cannot find the bot executable '\(executable)' in PATH")
        }
        return found
    }
}

/// A value set once and handed to every waiter (the bot's exit; the end of its stderr).
private final class Latch<Value: Sendable>: Sendable {
    private let state = Mutex<(value: Value?, waiters: [CheckedContinuation<Value, Never>])>((nil, []))

    var isOpen: Bool { state.withLock { $0.value != nil } }

    func open(_ exit: Value) {
        let waiters = state.withLock { state in
            state.value = exit
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: exit) }
    }

    func wait() async -> Value {
        await withCheckedContinuation { continuation in
            let value = state.withLock { state in
                if state.value == nil { state.waiters.append(continuation) }
                return state.value
            }
            if let value { continuation.resume(returning: value) }
        }
    }
}
