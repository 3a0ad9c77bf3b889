import FitChatClient
import FitChatProtocol
import Foundation
import Synchronization

extension LocalFile {
    /// A file named on the command line: `-` is stdin, which needs `--filename`.
    static func argument(_ path: String, filename: String?) throws(ClientError) -> LocalFile {
        guard path == "-" else { return try LocalFile(path: path, filename: filename) }
        guard let filename, !filename.isEmpty else { throw .usage("--file - reads stdin: give the file's name with --filename") }
        return LocalFile(stream: FileHandle.standardInput, filename: filename)
    }
}

/// `sending report.pdf: 12.0 of 80.0 MiB (15%)` on stderr, redrawn at most ten times a second,
/// when stderr is a terminal and the file is big enough to wait for.
final class ProgressLine: Sendable {
    private let label: String
    private let total: Int64?
    private let shown: Bool
    private let lastDrawn = Mutex<ContinuousClock.Instant?>(nil)

    init(label: String, total: Int64?) {
        self.label = label
        self.total = total
        shown = isatty(STDERR_FILENO) == 1 && (total ?? Int64.max) >= 1 << 20
    }

    func update(_ done: Int64) {
        guard shown else { return }
        let now = ContinuousClock.now
        let due = lastDrawn.withLock { last -> Bool in
            guard last.map({ now - $0 >= .milliseconds(100) }) ?? true else { return false }
            last = now
            return true
        }
        guard due else { return }
        let mib = { (bytes: Int64) in String(format: "%.1f", Double(bytes) / 1_048_576) }
        let text = total.map { "\(label): \(mib(done)) of \(mib($0)) MiB (\($0 > 0 ? done * 100 / $0 : 100)%)" } ?? "\(label): \(mib(done)) MiB"
        StandardStream.write("\r\u{1B}[K" + text, to: STDERR_FILENO)
    }

    func finish() {
        guard shown, lastDrawn.withLock({ $0 != nil }) else { return }
        StandardStream.write("\r\u{1B}[K", to: STDERR_FILENO)
    }
}
