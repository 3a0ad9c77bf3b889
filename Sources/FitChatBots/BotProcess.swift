import FitChatClient
import Foundation
import Synchronization

/// One run of a bot's executable with stdin, stdout and stderr piped. Foundation's `Process`
/// puts the child in a process group of its own, so signals go to the bot and whatever it
/// started (a shell bot's `jq`), and none is left behind.
final class BotProcess: Sendable {
    let pid: Int32
    /// Standard output and standard error, a line at a time, each read on a thread of its own.
    let outputLines: AsyncStream<String>
    let errorLines: AsyncStream<String>
    let startedAt = ContinuousClock.now
    private let process: Process
    private let input: FileHandle
    private let exitLatch = ExitLatch()

    /// Starts `command` (looked up in PATH when it has no slash) with `environment`.
    init(_ command: [String], environment: [String: String]) throws(ClientError) {
        guard let executable = command.first, let path = Self.locate(executable, path: environment["PATH"]) else {
            throw .configuration("cannot find the bot executable '\(command.first ?? "")'")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = Array(command.dropFirst())
        process.environment = environment
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        let latch = exitLatch
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
        outputLines = Self.lines(of: stdout.fileHandleForReading)
        errorLines = Self.lines(of: stderr.fileHandleForReading)
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

    /// How the bot ended; waits for it, even in a cancelled task (whoever cancels also kills),
    /// and may be awaited by several tasks.
    func exit() async -> BotExit {
        await exitLatch.wait()
    }

    /// Linux's F_SETPIPE_SZ, which Swift's Glibc module does not export.
    private static let setPipeSize: Int32 = 1031

    private static func lines(of handle: FileHandle) -> AsyncStream<String> {
        let (lines, sink) = AsyncStream.makeStream(of: String.self)
        Thread.detachNewThread {
            var pending = Data()
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                pending.append(chunk)
                while let newline = pending.firstIndex(of: 0x0A) {
                    sink.yield(String(decoding: pending[pending.startIndex..<newline], as: UTF8.self))
                    pending.removeSubrange(pending.startIndex...newline)
                }
            }
            if !pending.isEmpty { sink.yield(String(decoding: pending, as: UTF8.self)) }
            sink.finish()
        }
        return lines
    }

    private static func locate(_ executable: String, path: String?) -> String? {
        if executable.contains("/") { return FileManager.default.isExecutableFile(atPath: executable) ? executable : nil }
        let directories = (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":")
        return directories.map { "\($0)/\(executable)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}

/// The bot's exit, set once by the termination handler and handed to every waiter.
private final class ExitLatch: Sendable {
    private let state = Mutex<(exit: BotExit?, waiters: [CheckedContinuation<BotExit, Never>])>((nil, []))

    func open(_ exit: BotExit) {
        let waiters = state.withLock { state in
            state.exit = exit
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: exit) }
    }

    func wait() async -> BotExit {
        await withCheckedContinuation { continuation in
            let exit = state.withLock { state in
                if state.exit == nil { state.waiters.append(continuation) }
                return state.exit
            }
            if let exit { continuation.resume(returning: exit) }
        }
    }
}
