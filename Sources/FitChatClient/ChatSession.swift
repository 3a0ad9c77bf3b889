import FitChatProtocol
import Foundation
import Logging
import NIOCore
import NIOSSL
import NIOWebSocket
import Synchronization
import WSClient

/// A live WebSocket session that outlives its connections: it reconnects with exponential
/// backoff and jitter and re-joins its rooms with `since_seq`, so whoever reads `events` sees
/// every message of those rooms once, in `seq` order, across drops and server restarts.
public final class ChatSession: Sendable {
    public enum Event: Sendable {
        /// A connection is up (first or after a drop); joins have been sent.
        case connected(ConnectionEstablished)
        /// A server frame, decoded, with its exact text. Repeated `new_message`s are already dropped.
        case frame(ServerEnvelope, raw: String)
        /// The connection dropped; the session tries again after `retryIn`.
        case disconnected(reason: String, retryIn: Duration)
    }

    private struct State {
        /// Joined rooms and the last `seq` seen in each (nil: none seen yet, join live).
        var rooms: [RoomID: Int64?] = [:]
        var writer: AsyncStream<String>.Continuation?
        /// The current connection got as far as `connection_established`.
        var established = false
    }

    public let events: AsyncStream<Event>
    private let eventSink: AsyncStream<Event>.Continuation
    private let api: ChatAPI
    private let logger: Logger
    private let state = Mutex(State())

    public init(api: ChatAPI, logger: Logger = Logger(label: "fitchat.session")) {
        self.api = api
        self.logger = logger
        (events, eventSink) = AsyncStream.makeStream(of: Event.self)
    }

    /// Subscribes to a room, now if connected and on every reconnect. `sinceSeq` replays what
    /// came after it first; later re-joins resume after the last message seen.
    public func join(_ roomID: RoomID, sinceSeq: Int64? = nil) {
        state.withLock { state in
            state.rooms[roomID] = .some(sinceSeq)
            state.writer?.yield(Self.joinFrame(roomID, sinceSeq: sinceSeq))
        }
    }

    /// Stops following a room (the user left it, or it is gone): it is not joined again on
    /// reconnect, and its events are no longer filtered for repeats.
    public func forget(_ roomID: RoomID) {
        state.withLock { _ = $0.rooms.removeValue(forKey: roomID) }
    }

    /// Sends a frame on the current connection.
    public func send(_ frame: ClientFrame, id: String? = nil) throws(ClientError) {
        guard let writer = state.withLock({ $0.writer }) else { throw .unreachable("not connected to \(api.server) right now") }
        do {
            let data = try WireCoding.makeEncoder().encode(ClientEnvelope(frame, id: id))
            writer.yield(String(decoding: data, as: UTF8.self))
        } catch {
            throw .usage("cannot encode the frame: \(error)")
        }
    }

    /// Connects and keeps reconnecting until cancelled. Throws only when going on is pointless:
    /// the token was rejected (close 4401, or a refused upgrade that REST confirms).
    public func run() async throws(ClientError) {
        guard let token = api.token else { throw .notLoggedIn("not logged in") }
        var backoff = Backoff()
        defer { eventSink.finish() }
        while !Task.isCancelled {
            let reason: String
            do {
                let close = try await connectOnce(token: token)
                if state.withLock({ $0.established }) { backoff.reset() }
                if close?.closeCode == .unknown(4401) {
                    throw ClientError.notLoggedIn("the server ended the session: the token expired (log in again)")
                }
                reason = close.map { "closed by the server (\($0.closeCode)\($0.reason.map { ": \($0)" } ?? ""))" } ?? "connection lost"
            } catch let error as ClientError {
                throw error
            } catch is CancellationError {
                return
            } catch {
                if case .refused(let code, let message, _) = await tokenProblem(), code == .unauthorized || code == .tokenExpired {
                    throw .notLoggedIn("the server refused the token: \(message) (log in again)")
                }
                reason = "cannot connect to \(api.server): \(TransportFailure.describe(error))"
            }
            state.withLock { state in
                state.writer = nil
                state.established = false
            }
            if Task.isCancelled { return }
            let delay = backoff.next()
            eventSink.yield(.disconnected(reason: reason, retryIn: delay))
            do { try await Task.sleep(for: delay) } catch { return }
        }
    }

    /// After a failed connect: is it the token? (Upgrade failures do not say why.)
    private func tokenProblem() async -> ClientError? {
        do {
            _ = try await api.me()
            return nil
        } catch {
            return error
        }
    }

    private func connectOnce(token: String) async throws -> WebSocketCloseFrame? {
        var configuration = WebSocketClientConfiguration(maxFrameSize: 1 << 20)
        configuration.additionalHeaders[.authorization] = "Bearer \(token)"
        configuration.sniHostname = api.server.tlsHostname
        configuration.autoPing = .enabled(timePeriod: .seconds(30))
        let client = WebSocketClient(
            url: api.server.webSocketURL, configuration: configuration, tlsConfiguration: api.server.isSecure ? api.tls : nil, logger: logger
        ) { inbound, outbound, _ in
            let (outgoing, writer) = AsyncStream.makeStream(of: String.self)
            defer { writer.finish() }
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await text in outgoing { try await outbound.write(.text(text)) }
                }
                group.addTask {
                    for try await message in inbound.messages(maxSize: 1 << 20) {
                        guard case .text(let text) = message else { continue }
                        self.receive(text, writer: writer)
                    }
                }
                try await group.next()
                group.cancelAll()
            }
        }
        return try await client.run()
    }

    /// One server frame: the connection's start (send the joins), an entry of a room's log
    /// (drop repeats, advance the room's cursor), or anything else (pass on).
    private func receive(_ text: String, writer: AsyncStream<String>.Continuation) {
        guard let envelope = try? WireCoding.makeDecoder().decode(ServerEnvelope.self, from: Data(text.utf8)) else {
            logger.debug("ignoring a frame this client does not know", metadata: ["frame": "\(text.prefix(200))"])
            return
        }
        switch envelope.event {
        case .connectionEstablished(let info):
            state.withLock { state in
                // The joins are queued before `send` can see the writer and before anyone hears
                // `.connected`: a frame sent in answer to it (a bot's greeting, the REPL's
                // unacknowledged lines) would otherwise reach the server first, and its
                // `message_sent` would move the room's cursor past entries the replay brings.
                for (roomID, since) in state.rooms { writer.yield(Self.joinFrame(roomID, sinceSeq: since)) }
                state.writer = writer
                state.established = true
            }
            eventSink.yield(.connected(info))
            return
        case .messageSent(let message):
            // An answer to a send always passes: a retried send is answered with the message
            // stored the first time, which the caller is waiting to hear about.
            advance(message.roomID, to: message.seq)
        case .newMessage, .messageEdited, .messageDeleted, .reaction:
            // Room log entries: drop what a replay already gave, advance the room's cursor.
            // A reply that changed nothing (a repeated reaction) has no place and passes.
            if let position = envelope.event.roomPosition, !advance(position.roomID, to: position.seq) { return }
        case .roomJoined(let joined):
            state.withLock { state in
                if let entry = state.rooms[joined.roomID], entry == nil { state.rooms[joined.roomID] = .some(joined.lastSeq) }
            }
        default:
            break
        }
        eventSink.yield(.frame(envelope, raw: text))
    }

    /// Moves the room's cursor to `seq`; false when the entry was seen already.
    @discardableResult
    private func advance(_ roomID: RoomID, to seq: Int64) -> Bool {
        state.withLock { state -> Bool in
            guard let entry = state.rooms[roomID] else { return true }
            if let last = entry, seq <= last { return false }
            state.rooms[roomID] = .some(seq)
            return true
        }
    }

    private static func joinFrame(_ roomID: RoomID, sinceSeq: Int64?) -> String {
        let data = (try? WireCoding.makeEncoder().encode(ClientEnvelope(.joinRoom(JoinRoom(roomID: roomID, sinceSeq: sinceSeq))))) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
