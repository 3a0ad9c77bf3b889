import FitChatClient
import Foundation
import Subprocess
import Synchronization

#if canImport(System)
import System
#else
import SystemPackage
#endif

/// One run of a bot's executable with stdin, stdout and stderr piped, spawned by
/// swift-subprocess: the child gets descriptors 0–2 and nothing else (every other one is closed
/// in the child, however many the runner opens meanwhile), and a process group of its own, so
/// signals reach the bot and whatever it started (a shell bot's `jq`), and none is left behind.
///
/// `launch` creates one and runs it in a task of the caller's group (the task lasts as long as
/// the process).
final class BotProcess: Sendable {
    /// Standard output, a line at a time, read on a thread of its own.
    let outputLines: AsyncStream<String>
    let startedAt = ContinuousClock.now
    private let executable: String
    private let arguments: [String]
    private let environment: [String: String]
    private let workingDirectory: String?
    private let errorLine: @Sendable (String) -> Void
    private let outputSink: AsyncStream<String>.Continuation
    /// The pipe ends the runner keeps: the bot's stdin to write, its stdout and stderr to read.
    private let input: FileHandle
    private let output: FileHandle
    private let errors: FileHandle
    /// The ends the child gets; closed here once it has them (or could not start).
    private let childEnds: Mutex<[FileDescriptor]?>
    private let launch = Latch<Result<Int32, ClientError>>()
    private let exitLatch = Latch<BotExit>()
    /// Opened when stderr reached its end: every line the bot wrote there was handed on.
    private let errorsRead = Latch<Void>()

    /// Prepares `command` (looked up in PATH when it has no slash) with `environment`, run in
    /// `workingDirectory` (the runner's own when nil). Each line the bot writes to stderr goes
    /// to `errorLine`, on the reading thread, so none is lost to a consumer cancelled at exit.
    init(
        _ command: [String], environment: [String: String], workingDirectory: String? = nil,
        errorLine: @escaping @Sendable (String) -> Void
    ) throws(ClientError) {
        guard let executable = command.first else { throw .configuration("no bot executable given") }
        self.executable = try Self.locate(executable, path: environment["PATH"], in: workingDirectory)
        arguments = Array(command.dropFirst())
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.errorLine = errorLine
        let stdin = try Self.pipe(), stdout = try Self.pipe(), stderr = try Self.pipe()
        input = FileHandle(fileDescriptor: stdin.write, closeOnDealloc: true)
        output = FileHandle(fileDescriptor: stdout.read, closeOnDealloc: true)
        errors = FileHandle(fileDescriptor: stderr.read, closeOnDealloc: true)
        childEnds = Mutex([stdin.read, stdout.write, stderr.write].map { FileDescriptor(rawValue: $0) })
        // A page, not the default 64 KiB: the inbox's bound, not the kernel, decides how far
        // a slow bot may fall behind before events are dropped.
        _ = fcntl(stdin.write, Self.setPipeSize, 4096)
        (outputLines, outputSink) = AsyncStream.makeStream(of: String.self)
    }

    /// Prepares the bot of `configuration`, runs it as a task of `group` (whose result is
    /// `placeholder`), and returns once it runs.
    static func launch<GroupResult: Sendable>(
        _ configuration: BotConfiguration, environment: [String: String], log: BotLog,
        in group: inout TaskGroup<GroupResult>, returning placeholder: GroupResult
    ) async throws(ClientError) -> BotProcess {
        let process = try BotProcess(
            configuration.command, environment: environment, workingDirectory: configuration.workingDirectory, errorLine: log.botLine
        )
        group.addTask {
            await process.run()
            return placeholder
        }
        _ = try await process.launched()
        return process
    }

    /// Starts the process and waits for it to end; cancelling the task kills it. Call once.
    func run() async {
        let ends = childEnds.withLock { $0 } ?? []
        guard ends.count == 3 else { return }
        var options = PlatformOptions()
        options.processGroupID = 0
        var variables: [Environment.Key: String] = [:]
        for (name, value) in environment {
            if let key = Environment.Key(rawValue: name) { variables[key] = value }
        }
        do {
            let result = try await Subprocess.run(
                .path(FilePath(executable)), arguments: Arguments(arguments), environment: .custom(variables),
                workingDirectory: workingDirectory.map { FilePath($0) }, platformOptions: options,
                input: .fileDescriptor(ends[0], closeAfterSpawningProcess: false),
                output: .fileDescriptor(ends[1], closeAfterSpawningProcess: false),
                error: .fileDescriptor(ends[2], closeAfterSpawningProcess: false)
            ) { [self] execution in
                closeChildEnds()
                startReading()
                launch.open(.success(execution.processIdentifier.value))
            }
            switch result.terminationStatus {
            case .exited(let code): exitLatch.open(.code(code))
            case .signaled(let signal): exitLatch.open(.signal(signal))
            }
        } catch {
            closeChildEnds()
            let failure = ClientError.configuration("cannot start the bot '\(executable)': \(Self.reason(error))")
            launch.open(.failure(failure))
            outputSink.finish()
            errorsRead.open(())
            exitLatch.open(.code(RestartPolicy.configurationError))
        }
    }

    /// The bot's process id once it runs, or why it could not start.
    func launched() async throws(ClientError) -> Int32 {
        try await launch.wait().get()
    }

    /// The process id, 0 before it started.
    var pid: Int32 {
        if case .success(let pid) = launch.value { return pid }
        return 0
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
        let pid = pid
        if pid > 0 { kill(-pid, number) }
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

    private func closeChildEnds() {
        let ends = childEnds.withLock { ends in
            defer { ends = nil }
            return ends ?? []
        }
        for end in ends { try? end.close() }
    }

    private func startReading() {
        let sink = outputSink
        let errorsRead = errorsRead
        Self.readLines(of: output, { sink.yield($0) }, ended: { sink.finish() })
        Self.readLines(of: errors, errorLine, ended: { errorsRead.open(()) })
    }

    /// Linux's F_SETPIPE_SZ, which Swift's Glibc module does not export.
    private static let setPipeSize: Int32 = 1031

    /// A pipe whose ends are closed on exec, so that a process spawned some other way does not
    /// inherit them either (swift-subprocess closes them in its children regardless).
    private static func pipe() throws(ClientError) -> (read: Int32, write: Int32) {
        var ends: [Int32] = [-1, -1]
        guard Glibc.pipe(&ends) == 0 else {
            throw .configuration("cannot start a bot: no pipe (\(String(cString: strerror(errno))))")
        }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        return (ends[0], ends[1])
    }

    private static func reason(_ error: any Error) -> String {
        if let error = error as? SubprocessError, let underlying = error.underlyingError {
            return String(cString: strerror(underlying.rawValue))
        }
        return "\(error)"
    }

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

    /// The executable's path (a relative one against `directory`); a file that exists but may
    /// not be run says so.
    private static func locate(_ executable: String, path: String?, in directory: String?) throws(ClientError) -> String {
        if executable.contains("/") {
            let resolved = executable.hasPrefix("/") || directory == nil
                ? executable : URL(fileURLWithPath: executable, relativeTo: URL(fileURLWithPath: directory ?? ".", isDirectory: true)).path
            guard FileManager.default.fileExists(atPath: resolved) else { throw .configuration("cannot find the bot executable '\(executable)'") }
            guard FileManager.default.isExecutableFile(atPath: resolved) else {
                throw .configuration("the bot executable '\(executable)' is not executable (chmod +x \(executable))")
            }
            return resolved
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

    var value: Value? { state.withLock { $0.value } }

    /// The first value wins; later ones are ignored.
    func open(_ value: Value) {
        let waiters = state.withLock { state -> [CheckedContinuation<Value, Never>] in
            guard state.value == nil else { return [] }
            state.value = value
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: value) }
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
