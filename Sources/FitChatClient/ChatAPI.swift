import AsyncHTTPClient
import FitChatProtocol
import Foundation
import NIOCore
import NIOHTTP1
import NIOFoundationCompat
import NIOSSL
import Synchronization

/// The REST half of the client core: JSON over AsyncHTTPClient, or over a connection of its
/// own per call for one-shot commands; every failure a `ClientError`.
public final class ChatAPI: Sendable {
    /// How the JSON calls travel.
    public enum Transport: Sendable {
        /// AsyncHTTPClient's pool of kept connections, for processes that live on (`tail`, the
        /// REPL, bots) and for every `https://` server.
        case pooled
        /// A plain connection per call, made on the calling thread: a one-shot command to an
        /// `http://` server starts no event loop (half of a `fitchat send`, BENCHMARKS.md).
        case connectionPerCall
    }

    public let server: ServerAddress
    public let token: String?
    /// Only for `https://` servers, or when a CA file was named (so a bad one is still an error).
    let tls: TLSConfiguration?
    private let transport: Transport
    /// Made on first use: a one-shot command may never need it.
    private let pool = Mutex<HTTPClient?>(nil)
    static let requestTimeout: TimeAmount = .seconds(30)
    static let connectTimeout: TimeAmount = .seconds(5)
    /// The largest JSON answer read (an export page is far below it).
    static let maximumAnswerSize = 32 << 20

    public init(server: ServerAddress, token: String?, caFile: String? = nil, transport: Transport = .pooled) throws(ClientError) {
        self.server = server
        self.token = token
        self.transport = transport
        tls = server.isSecure || caFile != nil ? try ClientTLS.configuration(caFile: caFile) : nil
    }

    /// The same server with another token (after login).
    public func authenticated(with token: String, caFile: String? = nil) throws(ClientError) -> ChatAPI {
        try ChatAPI(server: server, token: token, caFile: caFile, transport: transport)
    }

    public func shutdown() async {
        try? await pool.withLock { $0 }?.shutdown()
    }

    private var http: HTTPClient {
        pool.withLock { client in
            if let client { return client }
            var configuration = HTTPClient.Configuration(tlsConfiguration: tls, timeout: .init(connect: Self.connectTimeout, read: Self.requestTimeout))
            // One failed connect is the answer: a script wants exit 69 now, not retries until a deadline.
            configuration.connectionPool.retryConnectionEstablishment = false
            // Well inside the server's keep-alive timeout: the client closes an idle connection
            // first, and never sends into one the server is closing.
            configuration.connectionPool.idleTimeout = .seconds(20)
            let made = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
            client = made
            return made
        }
    }

    /// Sends one request; a 2xx body is decoded as `T`, anything else becomes a `ClientError`.
    func call<T: Decodable>(_ method: HTTPMethod, _ path: String, body: (any Encodable)? = nil, as type: T.Type = T.self)
        async throws(ClientError) -> T
    {
        let data = try await send(method, path, body: body)
        do {
            return try WireCoding.makeDecoder().decode(T.self, from: data)
        } catch {
            throw .protocolViolation("unexpected answer from \(method) \(path): \(error)")
        }
    }

    /// A request whose answer has no body worth decoding.
    func perform(_ method: HTTPMethod, _ path: String, body: (any Encodable)? = nil) async throws(ClientError) {
        _ = try await send(method, path, body: body)
    }

    private func send(_ method: HTTPMethod, _ path: String, body: (any Encodable)?) async throws(ClientError) -> Data {
        let json: Data?
        do {
            json = try body.map { try WireCoding.makeEncoder().encode($0) }
        } catch {
            throw .usage("cannot encode the request: \(error)")
        }
        if transport == .connectionPerCall && !server.isSecure {
            return try sendOnOwnConnection(method, path, json: json)
        }
        var request = makeRequest(method, path)
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(data: json))
        }
        let response = try await execute(request)
        let bytes: ByteBuffer
        do {
            bytes = try await response.body.collect(upTo: Self.maximumAnswerSize)
        } catch {
            throw Self.transportError(error, server: server)
        }
        let data = Data(buffer: bytes)
        guard (200..<300).contains(response.status.code) else { throw Self.refusal(response.status.code, data, method: method, path: path) }
        return data
    }

    func makeRequest(_ method: HTTPMethod, _ path: String) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: server.httpBase + path)
        request.method = method
        request.headers.add(name: "User-Agent", value: "fitchat-cli")
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        return request
    }

    /// Runs a request whose body is read by the caller (uploads and downloads take longer than
    /// the JSON calls' timeout, so theirs is a day).
    func execute(_ request: HTTPClientRequest, timeout: TimeAmount? = nil) async throws(ClientError) -> HTTPClientResponse {
        do {
            return try await http.execute(request, timeout: timeout ?? Self.requestTimeout)
        } catch {
            throw Self.transportError(error, server: server)
        }
    }

    /// A non-2xx answer as the error it carries.
    static func refusal(_ status: UInt, _ data: Data, method: HTTPMethod, path: String) -> ClientError {
        if let body = try? WireCoding.makeDecoder().decode(ErrorBody.self, from: data) {
            return .refused(code: body.error.code, message: body.error.message, retryAfterMs: body.error.retryAfterMs)
        }
        return .protocolViolation("\(method) \(path) answered \(status) without an error body")
    }

    /// Failures below HTTP: connection refused, DNS, TLS, timeouts all mean "unreachable" to a script.
    static func transportError(_ error: any Error, server: ServerAddress) -> ClientError {
        if let error = error as? ClientError { return error }
        switch error {
        case let error as HTTPClientError where error == .connectTimeout || error == .deadlineExceeded:
            return cannotReach(server, "timed out")
        case let error as HTTPClientError where error == .readTimeout:
            return stoppedAnswering(server)
        default:
            return cannotReach(server, TransportFailure.describe(error))
        }
    }

    /// The words of every failure to connect, whichever transport met it.
    static func cannotReach(_ server: ServerAddress, _ detail: String) -> ClientError {
        .unreachable("cannot reach \(server): \(detail)")
    }

    /// A server that took the request and then went quiet past the timeout.
    static func stoppedAnswering(_ server: ServerAddress) -> ClientError {
        .unreachable("\(server) stopped answering (read timeout)")
    }
}
