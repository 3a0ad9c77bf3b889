import FitChatTestSupport
import FitChatProtocol
import Foundation
import Logging
import NIOCore
import NIOSSL
import NIOWebSocket
import Synchronization
import HTTPTypes
import WSClient

/// A real WebSocket client for tests. Incoming frames are buffered; `next` waits with a deadline.
final class TestSocket: Sendable {
    enum Outgoing: Sendable {
        case text(String)
        case binary(ByteBuffer)
        case invalidText(ByteBuffer)
        /// One text message sent as several frames (continuation frames after the first).
        case fragments([String])
        case close
    }

    private final class Inbox: Sendable {
        let state = Mutex<(frames: [String], ended: Bool)>(([], false))
    }

    private let inbox = Inbox()
    private let outgoing: AsyncStream<Outgoing>.Continuation
    private let run: Task<WebSocketCloseFrame?, any Error>
    private let decoder = WireCoding.makeDecoder()

    private init(url: String, headers: [(String, String)], tls: TLSConfiguration?, sniHostname: String?) {
        let (stream, continuation) = AsyncStream.makeStream(of: Outgoing.self)
        outgoing = continuation
        let inbox = self.inbox
        var configuration = WebSocketClientConfiguration(maxFrameSize: 1 << 20)
        configuration.sniHostname = sniHostname
        for (name, value) in headers { configuration.additionalHeaders[HTTPField.Name(name)!] = value }
        run = Task {
        defer { inbox.state.withLock { $0.ended = true } }
        let client = WebSocketClient(url: url, configuration: configuration, tlsConfiguration: tls, logger: Logger(label: "test-socket")) { inbound, outbound, _ in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await item in stream {
                        switch item {
                        case .text(let text): try await outbound.write(.text(text))
                        case .binary(let buffer): try await outbound.write(.binary(buffer))
                        case .invalidText(let buffer): try await outbound.write(.custom(WebSocketFrame(fin: true, opcode: .text, data: buffer)))
                        case .fragments(let parts):
                            try await outbound.withTextMessageWriter { write in
                                for part in parts { try await write(part) }
                            }
                        case .close:
                            try await outbound.close(.normalClosure, reason: nil)
                            return
                        }
                    }
                }
                group.addTask {
                    defer { inbox.state.withLock { $0.ended = true } }
                    for try await message in inbound.messages(maxSize: 1 << 20) {
                        if case .text(let text) = message { inbox.state.withLock { $0.frames.append(text) } }
                    }
                }
                try await group.next()
                group.cancelAll()
            }
        }
        return try await client.run()
        }
    }

    /// Connects with the token in the `Authorization` header (or in `?token=` for the seed style)
    /// and consumes `connection_established`.
    static func connect(
        _ server: TestServer, token: String?, viaQuery: Bool = false, headers: [(String, String)] = [], tls: TLSConfiguration? = nil,
        sniHostname: String? = nil
    ) async throws -> TestSocket {
        let socket = open(server, token: token, viaQuery: viaQuery, headers: headers, tls: tls, sniHostname: sniHostname)
        let first = try await socket.next()
        guard case .connectionEstablished = first.event else { throw TestFailure("expected connection_established, got \(first)") }
        return socket
    }

    /// Connects without consuming anything.
    static func open(
        _ server: TestServer, token: String?, viaQuery: Bool = false, headers: [(String, String)] = [], tls: TLSConfiguration? = nil,
        sniHostname: String? = nil
    ) -> TestSocket {
        var headers = headers
        var url = server.webSocketURL
        if let token {
            if viaQuery { url += "?token=\(token)" } else { headers.append(("Authorization", "Bearer \(token)")) }
        }
        return TestSocket(url: url, headers: headers, tls: tls, sniHostname: sniHostname)
    }

    static func connect(_ server: TestServer, as user: TestUser) async throws -> TestSocket {
        try await connect(server, token: user.token)
    }

    func send(_ frame: ClientFrame, id: String? = nil) throws {
        let data = try WireCoding.makeEncoder().encode(ClientEnvelope(frame, id: id))
        outgoing.yield(.text(String(decoding: data, as: UTF8.self)))
    }

    /// Subscribes to a room and waits for `room_joined` (after any replay it asked for).
    @discardableResult
    func join(_ roomID: RoomID, sinceSeq: Int64? = nil) async throws -> RoomJoined {
        try send(.joinRoom(JoinRoom(roomID: roomID, sinceSeq: sinceSeq)))
        guard case .roomJoined(let joined) = try await next("room_joined").event else { throw TestFailure("no room_joined") }
        return joined
    }

    func sendRaw(_ text: String) { outgoing.yield(.text(text)) }
    func sendBinary(_ bytes: [UInt8]) { outgoing.yield(.binary(ByteBuffer(bytes: bytes))) }
    func sendInvalidUTF8Text(_ bytes: [UInt8]) { outgoing.yield(.invalidText(ByteBuffer(bytes: bytes))) }
    func sendFragments(_ parts: [String]) { outgoing.yield(.fragments(parts)) }

    /// The next raw frame text; fails after `timeout`.
    func nextRaw(timeout: Duration = .seconds(10)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while true {
            let (frame, ended) = inbox.state.withLock { inbox -> (String?, Bool) in
                inbox.frames.isEmpty ? (nil, inbox.ended) : (inbox.frames.removeFirst(), false)
            }
            if let frame { return frame }
            if ended {
                let reason = await run.result
                throw TestFailure("the connection closed while waiting for a frame (\(reason))")
            }
            if ContinuousClock.now > deadline { throw TestFailure("no frame within \(timeout)") }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    func next(timeout: Duration = .seconds(10)) async throws -> ServerEnvelope {
        let raw = try await nextRaw(timeout: timeout)
        do {
            return try decoder.decode(ServerEnvelope.self, from: Data(raw.utf8))
        } catch {
            throw TestFailure("undecodable frame \(raw): \(error)")
        }
    }

    /// Skips frames until one of `type` arrives (e.g. past presence noise).
    func next(_ type: String, timeout: Duration = .seconds(10)) async throws -> ServerEnvelope {
        while true {
            let envelope = try await next(timeout: timeout)
            if envelope.event.type == type { return envelope }
        }
    }

    /// Everything that arrives before the answer to a fresh `ping`. The server serves a
    /// connection's frames in order and queues its output in order, so anything already queued
    /// for this connection arrives before the `pong`: a deterministic "nothing else came".
    func drain() async throws -> [ServerEnvelope] {
        let marker = "barrier-\(UUID().uuidString)"
        try send(.ping(Heartbeat(timestamp: .integer(0))), id: marker)
        var seen: [ServerEnvelope] = []
        while true {
            let envelope = try await next()
            if envelope.id == marker, case .pong = envelope.event { return seen }
            seen.append(envelope)
        }
    }

    /// The close frame the server sent, once the connection has ended.
    func closeFrame(timeout: Duration = .seconds(20)) async throws -> WebSocketCloseFrame? {
        try await withThrowingTaskGroup(of: WebSocketCloseFrame?.self) { group in
            group.addTask { try await self.run.value }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw TestFailure("the connection did not close within \(timeout)")
            }
            let result = try await group.next()!
            group.cancelAll()
            return result
        }
    }

    func close() async {
        outgoing.yield(.close)
        outgoing.finish()
        _ = try? await closeFrame()
    }
}
