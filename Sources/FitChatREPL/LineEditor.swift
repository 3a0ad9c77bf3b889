import CReadline
import FitChatClient
import Foundation
import Synchronization

/// What the person at the keyboard did.
public enum EditorInput: Sendable, Equatable {
    case line(String)
    /// The half-typed line changed (drives typing indicators); empty after deleting or Ctrl-C.
    case edited(String)
    /// Ctrl-D on an empty line, SIGTERM or SIGHUP: time to go.
    case endOfInput
}

/// GNU readline in callback mode on a thread of its own, so output can arrive while the person
/// types: `print` puts lines above the input line and redraws the half-typed line intact.
public final class LineEditor: Sendable {
    /// Bytes on the wake-up pipe: why the editor thread was woken.
    enum Wake: UInt8 {
        case output = 0x6F, interrupt = 0x69, terminate = 0x74, resize = 0x77, stop = 0x71
    }

    private struct Pending {
        var lines: [String] = []
        var prompt: String?
    }

    public let inputs: AsyncStream<EditorInput>
    private let inputSink: AsyncStream<EditorInput>.Continuation
    private let pending = Mutex(Pending())
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private let initialPrompt: String
    private let history: InputHistory?

    /// - Parameters:
    ///   - historyFile: where lines are kept across sessions (created 0600), or nil for none.
    public init(prompt: String, historyFile: URL?) throws(ClientError) {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw .usage("the REPL needs a terminal; scripts use 'fitchat send' and 'fitchat tail'")
        }
        var descriptors: [Int32] = [0, 0]
        guard pipe(&descriptors) == 0 else { throw .configuration("cannot create a pipe: \(String(cString: strerror(errno)))") }
        (wakeRead, wakeWrite) = (descriptors[0], descriptors[1])
        initialPrompt = prompt
        history = try historyFile.map { url throws(ClientError) in try InputHistory(file: url) }
        (inputs, inputSink) = AsyncStream.makeStream(of: EditorInput.self)
    }

    deinit {
        close(wakeRead)
        close(wakeWrite)
    }

    /// Shows lines above the input line (each may carry ANSI colour).
    public func print(_ lines: String...) {
        pending.withLock { $0.lines.append(contentsOf: lines) }
        wake(.output)
    }

    /// Replaces the prompt; escapes in it are marked invisible so the cursor lands right.
    public func setPrompt(_ prompt: String) {
        pending.withLock { $0.prompt = prompt }
        wake(.output)
    }

    public func setCandidates(_ candidates: CompletionCandidates) {
        ReadlineBridge.candidates.withLock { $0 = candidates }
    }

    /// Runs readline until the input ends or the task is cancelled. The terminal is back in
    /// its original state when this returns.
    public func run() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                Thread.detachNewThread {
                    self.driveReadline()
                    done.resume()
                }
            }
        } onCancel: {
            wake(.stop)
        }
    }

    private func wake(_ reason: Wake) {
        var byte = reason.rawValue
        _ = Foundation.write(wakeWrite, &byte, 1)
    }

    /// The editor thread: waits for a key or a wake-up, and feeds readline or handles the wake-up.
    private func driveReadline() {
        ReadlineBridge.wakeDescriptor.store(wakeWrite, ordering: .relaxed)
        let previousHandlers = ReadlineBridge.handledSignals.map { ($0, signal($0, ReadlineBridge.wakeOnSignal)) }
        fitchat_rl_configure(ReadlineBridge.complete)
        history?.load()
        rl_callback_handler_install(Self.invisibleEscapes(initialPrompt), ReadlineBridge.acceptLine)
        defer {
            rl_callback_handler_remove()
            for (number, handler) in previousHandlers { signal(number, handler) }
            history?.trim()
            Self.emit("\n")
            inputSink.finish()
        }
        var lastLine = ""
        while true {
            var descriptors = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0), pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
            guard poll(&descriptors, 2, -1) >= 0 else {
                if errno == EINTR { continue }
                return
            }
            if descriptors[0].revents != 0 {
                rl_callback_read_char()
                for accepted in ReadlineBridge.acceptedLines.withLock({ lines in defer { lines = [] }; return lines }) {
                    guard let line = accepted else {
                        inputSink.yield(.endOfInput)
                        return
                    }
                    history?.add(line)
                    inputSink.yield(.line(line))
                    lastLine = ""
                }
                let current = String(cString: fitchat_rl_line())
                if current != lastLine {
                    inputSink.yield(.edited(current))
                    lastLine = current
                }
            }
            if descriptors[1].revents != 0 {
                var bytes = [UInt8](repeating: 0, count: 64)
                let count = read(wakeRead, &bytes, bytes.count)
                for byte in bytes.prefix(max(0, count)) {
                    switch Wake(rawValue: byte) {
                    case .interrupt:
                        fitchat_rl_discard_line()
                        Self.emit("^C\n")
                        rl_on_new_line()
                        rl_redisplay()
                        if !lastLine.isEmpty { inputSink.yield(.edited("")) }
                        lastLine = ""
                    case .terminate:
                        inputSink.yield(.endOfInput)
                        return
                    case .stop:
                        return
                    case .resize:
                        rl_resize_terminal()
                    case .output, nil:
                        break
                    }
                }
                showPending()
            }
        }
    }

    /// Prints queued lines above the input line, then redraws the prompt and the half-typed line.
    private func showPending() {
        let (lines, prompt) = pending.withLock { pending in
            defer { pending = Pending() }
            return (pending.lines, pending.prompt)
        }
        guard !lines.isEmpty || prompt != nil else { return }
        rl_clear_visible_line()
        for line in lines { Self.emit(line + "\n") }
        if let prompt { rl_set_prompt(Self.invisibleEscapes(prompt)) }
        rl_forced_update_display()
    }

    /// Readline counts every prompt byte as a column unless escapes sit between \001 and \002.
    static func invisibleEscapes(_ prompt: String) -> String {
        prompt.replacing(/\x1B\[[0-9;]*m/) { "\u{01}\($0.output)\u{02}" }
    }

    /// Writes straight to the terminal, after whatever readline still holds in its stdio buffer.
    private static func emit(_ text: String) {
        fflush(nil)
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Foundation.write(STDOUT_FILENO, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return }
            bytes = bytes.dropFirst(written)
        }
    }
}
