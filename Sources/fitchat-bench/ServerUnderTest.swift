import Foundation

/// A freshly started `fitchat serve` (the binary beside this one) on a temporary SQLite file,
/// so its memory and CPU can be read from /proc; the seed stack (`SeedStack`); or a server
/// someone else runs.
struct ServerUnderTest {
    /// What speaks at `url`: fitchat, or the seed stack baseline.
    enum Kind: String, Sendable {
        case fitchat, seed
    }

    let url: String
    let kind: Kind
    let pid: Int32?
    private let process: Process?
    /// The temporary directory of a server we started, removed when it stops.
    private let directory: URL?

    init(url: String, kind: Kind, process: Process?, directory: URL? = nil) {
        self.url = url
        self.kind = kind
        self.process = process
        pid = process?.processIdentifier
        self.directory = directory
    }

    static func start() throws -> ServerUnderTest {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("fitchat")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fitchat-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = binary
        // The benchmark is the load: no per-user rate limit in its way.
        process.arguments = [
            "serve", "--port", "0", "--database", directory.appendingPathComponent("bench.sqlite").path, "--log-level", "warning",
            "--send-burst", "1000000", "--send-rate", "1000000",
        ]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        var line = Data()
        while true {
            let byte = output.fileHandleForReading.readData(ofLength: 1)
            if byte.isEmpty || byte == Data("\n".utf8) { break }
            line.append(byte)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard let range = text.range(of: "http://") else { throw BenchError("fitchat serve did not start: \(text)") }
        return ServerUnderTest(url: String(text[range.lowerBound...]), kind: .fitchat, process: process, directory: directory)
    }

    static func external(_ url: String, kind: Kind) -> ServerUnderTest {
        ServerUnderTest(url: url, kind: kind, process: nil)
    }

    /// Resident memory in KiB, from /proc (nil for a server we did not start).
    var residentKiB: Int? {
        guard let pid, let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") }
        return line.flatMap { Int($0.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") }
    }

    /// CPU time the server used so far (user + system), in seconds.
    var cpuSeconds: Double? {
        pid.flatMap(Self.cpuSeconds(of:))
    }

    /// CPU time of a process (user + system), in seconds, from /proc.
    static func cpuSeconds(of pid: Int32) -> Double? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let end = stat.lastIndex(of: ")") else {
            return nil
        }
        let fields = stat[stat.index(after: end)...].split(separator: " ")
        // After the command: state is field 3, utime 14 and stime 15 (1-based in proc(5)).
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// The machine's CPU time so far and how much of it the host took (steal), in clock
    /// ticks, from /proc/stat: on a shared VM, stolen time makes a run slower than the code is.
    static func machineTicks() -> (total: Double, stolen: Double)? {
        guard let stat = try? String(contentsOfFile: "/proc/stat", encoding: .utf8), let line = stat.split(separator: "\n").first else { return nil }
        let fields = line.split(separator: " ").dropFirst().compactMap { Double($0) }
        // user nice system idle iowait irq softirq steal ...
        guard fields.count >= 8 else { return nil }
        return (fields.prefix(8).reduce(0, +), fields[7])
    }

    func stop() {
        guard let process else { return }
        process.terminate()
        // uvicorn waits for its connections to close on SIGTERM, and may wait for good.
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        if let directory { try? FileManager.default.removeItem(at: directory) }
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
