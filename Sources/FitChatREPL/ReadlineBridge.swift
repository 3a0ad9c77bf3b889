import CReadline
import Foundation
import Synchronization

/// Readline is one global C state machine whose callbacks cannot capture context. What those
/// callbacks share with the editor lives here, behind locks; only the editor thread calls readline.
enum ReadlineBridge {
    /// Lines readline accepted (nil: end of input), taken by the editor loop after each key.
    static let acceptedLines = Mutex<[String?]>([])
    static let candidates = Mutex(CompletionCandidates())
    /// The matches of the completion in progress, handed to readline one at a time.
    static let matches = Mutex<[String]>([])
    /// The write end of the editor's wake-up pipe: signal handlers write one byte to it.
    static let wakeDescriptor = Atomic<Int32>(-1)

    static let acceptLine: @convention(c) (UnsafeMutablePointer<CChar>?) -> Void = { line in
        acceptedLines.withLock { $0.append(line.map { String(cString: $0) }) }
        free(line)
    }

    static let complete: @convention(c) (UnsafePointer<CChar>?, Int32, Int32) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = {
        text, start, _ in
        fitchat_rl_completion_over()
        guard let text else { return nil }
        let line = Array(String(cString: fitchat_rl_line()).utf8)
        let before = String(decoding: line.prefix(Int(start)), as: UTF8.self)
        let found = candidates.withLock { $0.matches(for: String(cString: text), after: before) }
        guard !found.isEmpty else { return nil }
        matches.withLock { $0 = found }
        return rl_completion_matches(text, nextMatch)
    }

    /// Readline's generator protocol: called with 0, 1, 2, ... until it returns NULL.
    static let nextMatch: @convention(c) (UnsafePointer<CChar>?, Int32) -> UnsafeMutablePointer<CChar>? = { _, index in
        matches.withLock { matches in
            Int(index) < matches.count ? strdup(matches[Int(index)]) : nil
        }
    }

    /// Signals become bytes on the wake-up pipe (write(2) is async-signal-safe): the editor
    /// thread then handles them between keystrokes, where readline's state is consistent.
    static let wakeOnSignal: @convention(c) (Int32) -> Void = { signal in
        var byte = switch signal {
        case SIGINT: LineEditor.Wake.interrupt.rawValue
        case SIGWINCH: LineEditor.Wake.resize.rawValue
        default: LineEditor.Wake.terminate.rawValue
        }
        _ = write(wakeDescriptor.load(ordering: .relaxed), &byte, 1)
    }

    static let handledSignals = [SIGINT, SIGTERM, SIGHUP, SIGWINCH]
}
