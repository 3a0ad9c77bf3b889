import Foundation
import Synchronization

/// A child process whose pipes are read on threads of their own, so a test waiting for its
/// output or its exit never blocks Swift's cooperative pool (on two cores, two blocked tests
/// would stall every other test, and the server under test with them).
package final class ChildProcess: @unchecked Sendable {
    // @unchecked: every stored property is set in init and only read afterwards; `Process` is
    // safe for the calls made here (signals, wait), stdin is written from one test at a time,
    // and the stderr read so far is behind a mutex.
    package let process = Process()
    /// Standard output, a line at a time (without the newline), finished at end of file.
    package let lines: AsyncStream<String>
    private let input = Pipe()
    private let errorOutput: Task<Data, Never>
    private let errorsSoFar = ReadSoFar()

    package init(_ executable: URL, _ arguments: [String], environment: [String: String]? = nil, directory: URL? = nil) throws {
        process.executableURL = executable
        process.arguments = arguments
        process.environment = environment
        if let directory { process.currentDirectoryURL = directory }
        let output = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        let (lines, continuation) = AsyncStream.makeStream(of: String.self)
        self.lines = lines
        try process.run()
        let reader = output.fileHandleForReading
        Thread.detachNewThread {
            while let line = reader.readLine() { continuation.yield(line) }
            continuation.finish()
        }
        let errorReader = errors.fileHandleForReading
        errorOutput = Task { [errorsSoFar] in
            await onThread {
                while case let chunk = errorReader.availableData, !chunk.isEmpty {
                    errorsSoFar.data.withLock { $0.append(chunk) }
                }
                return errorsSoFar.data.withLock { $0 }
            }
        }
    }

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
        try? input.fileHandleForWriting.write(contentsOf: Data(text.utf8))
    }

    package func closeInput() {
        try? input.fileHandleForWriting.close()
    }

    package func signal(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    package func exitStatus() async -> Int32 {
        await onThread { [process] in
            process.waitUntilExit()
            return process.terminationStatus
        }
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
