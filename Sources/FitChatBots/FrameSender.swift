import FitChatClient
import FitChatProtocol
import Foundation
import Synchronization

/// Sends a bot's frames in the order it wrote them. A message is sent with an id and a
/// `client_msg_id` and waits for its answer: `rate_limited` holds it for `retry_after_ms`
/// and sends it again, a dropped connection sends it again after reconnecting (the server
/// stores it once). So a bot never loses a send, and a runaway bot cannot flood a room.
final class FrameSender: Sendable {
    enum Answer: Sendable {
        case stored
        case retryAfter(Duration)
        case refused
        case lost
    }

    static let answerTimeout: Duration = .seconds(15)

    private let session: ChatSession
    private let api: ChatAPI
    private let log: BotLog
    private let waiting = Mutex<[String: AsyncStream<Answer>.Continuation]>([:])
    private let connected = Atomic(false)
    private let counter = Atomic(0)

    init(session: ChatSession, api: ChatAPI, log: BotLog) {
        self.session = session
        self.api = api
        self.log = log
    }

    func connectionChanged(isUp: Bool) {
        connected.store(isUp, ordering: .relaxed)
        if !isUp {
            for waiter in waiting.withLock({ waiting in defer { waiting = [:] }; return waiting.values }) {
                waiter.yield(.lost)
                waiter.finish()
            }
        }
    }

    /// Takes the answer to one of our sends out of the event stream; true when the bot must
    /// not see it (a rate limit the runner handles itself).
    func answer(_ envelope: ServerEnvelope) -> Bool {
        guard let id = envelope.id, let waiter = waiting.withLock({ $0.removeValue(forKey: id) }) else { return false }
        let answer: Answer = switch envelope.event {
        case .messageSent: .stored
        case .error(let error) where error.code == .rateLimited: .retryAfter(.milliseconds(error.retryAfterMs ?? 1_000))
        default: .refused
        }
        waiter.yield(answer)
        waiter.finish()
        if case .retryAfter = answer { return true }
        return false
    }

    /// Sends what the bot wrote, in order: a frame, or a file uploaded then sent as a message.
    func deliver(_ frame: BotFrame) async {
        switch frame {
        case .frame(let envelope): await deliver(envelope)
        case .sendFile(let file, let id): await send(file, id: id)
        }
    }

    /// Uploads the file and sends it like any message (held through rate limits and drops).
    private func send(_ file: FileToSend, id: String?) async {
        do throws(ClientError) {
            let local = try LocalFile(path: file.path, filename: file.filename)
            defer { try? local.handle.close() }
            let info = try await api.upload(local, to: file.roomID)
            let message = SendMessage(roomID: file.roomID, content: file.content ?? "", messageType: local.messageType, attachmentID: info.id)
            await deliver(ClientEnvelope(.sendMessage(message), id: id))
        } catch {
            log.note("send_file \(file.path): \(error.description)")
        }
    }

    /// Sends one frame; returns when a message was answered (or the task is cancelled).
    func deliver(_ envelope: ClientEnvelope) async {
        guard case .sendMessage(var message) = envelope.frame else {
            if case .joinRoom(let join) = envelope.frame {
                session.join(join.roomID, sinceSeq: join.sinceSeq)
                return
            }
            await waitForConnection()
            try? session.send(envelope.frame, id: envelope.id)
            return
        }
        message.clientMessageID = message.clientMessageID ?? UUID().uuidString.lowercased()
        let id = envelope.id ?? "bot-\(counter.wrappingAdd(1, ordering: .relaxed).newValue)"
        while !Task.isCancelled {
            await waitForConnection()
            switch await attempt(.sendMessage(message), id: id) {
            case .stored, .refused:
                return
            case .retryAfter(let delay):
                log.note("rate limited: holding a message for \(delay)")
                try? await Task.sleep(for: delay)
            case .lost:
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    private func attempt(_ frame: ClientFrame, id: String) async -> Answer {
        let (answers, sink) = AsyncStream.makeStream(of: Answer.self)
        waiting.withLock { $0[id] = sink }
        do {
            try session.send(frame, id: id)
        } catch {
            waiting.withLock { _ = $0.removeValue(forKey: id) }
            return .lost
        }
        return await withTaskGroup(of: Answer.self) { group in
            group.addTask {
                for await answer in answers { return answer }
                return .lost
            }
            group.addTask {
                try? await Task.sleep(for: Self.answerTimeout)
                return .lost
            }
            let first = await group.next() ?? .lost
            group.cancelAll()
            waiting.withLock { _ = $0.removeValue(forKey: id) }
            return first
        }
    }

    private func waitForConnection() async {
        while !connected.load(ordering: .relaxed) && !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(50))
        }
    }
}
