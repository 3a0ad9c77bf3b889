import FitChatTestSupport
import AsyncHTTPClient
import FitChatProtocol
import Foundation
import NIOCore
import NIOHTTP1

/// Plain HTTP against the test server, as any REST client would do it.
struct APIClient: Sendable {
    let baseURL: String
    var token: String?
    var client: HTTPClient = .shared

    init(baseURL: String, token: String? = nil, client: HTTPClient = .shared) {
        self.baseURL = baseURL
        self.token = token
        self.client = client
    }

    struct Reply: Sendable {
        let status: Int
        let headers: HTTPHeaders
        let body: Data

        func decode<T: Decodable>(_ type: T.Type = T.self) throws -> T {
            do {
                return try WireCoding.makeDecoder().decode(T.self, from: body)
            } catch {
                throw TestFailure("HTTP \(status): could not decode \(T.self) from \(String(decoding: body, as: UTF8.self)): \(error)")
            }
        }

        var error: ErrorBody? { try? WireCoding.makeDecoder().decode(ErrorBody.self, from: body) }
        var json: Any? { try? JSONSerialization.jsonObject(with: body) }
    }

    func request(_ method: HTTPMethod, _ path: String, body: (any Encodable)? = nil, rawBody: String? = nil, bytes: Data? = nil,
        headers: [(String, String)] = [], timeout: TimeAmount = .seconds(30)
    ) async throws -> Reply {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(data: try WireCoding.makeEncoder().encode(body)))
        } else if let rawBody {
            request.body = .bytes(ByteBuffer(string: rawBody))
        } else if let bytes {
            request.body = .bytes(ByteBuffer(data: bytes))
        }
        let response = try await client.execute(request, timeout: timeout)
        let buffer = try await response.body.collect(upTo: 16 << 20)
        return Reply(status: Int(response.status.code), headers: response.headers, body: Data(buffer: buffer))
    }

    func get(_ path: String) async throws -> Reply { try await request(.GET, path) }
    func post(_ path: String, _ body: (any Encodable)? = nil) async throws -> Reply { try await request(.POST, path, body: body) }
    func patch(_ path: String, _ body: any Encodable) async throws -> Reply { try await request(.PATCH, path, body: body) }
    func delete(_ path: String) async throws -> Reply { try await request(.DELETE, path) }

    /// A 2xx reply decoded, or a failure quoting what the server said.
    func expect<T: Decodable>(_ reply: Reply, _ type: T.Type = T.self) throws -> T {
        guard (200..<300).contains(reply.status) else {
            throw TestFailure("expected success, got HTTP \(reply.status): \(String(decoding: reply.body, as: UTF8.self))")
        }
        return try reply.decode(T.self)
    }
}

/// A registered user with a token, ready to call the API.
struct TestUser: Sendable {
    let info: UserInfo
    let token: String
    let api: APIClient

    var id: UserID { info.id }
    var username: String { info.username }
}

extension TestServer {
    var anonymous: APIClient { APIClient(baseURL: baseURL) }

    func register(_ username: String, password: String = "correct horse") async throws -> TestUser {
        let reply = try await anonymous.post("/api/auth/register", RegisterRequest(username: username, password: password))
        let auth: AuthResponse = try anonymous.expect(reply)
        return TestUser(info: auth.user, token: auth.accessToken, api: APIClient(baseURL: baseURL, token: auth.accessToken))
    }

    /// The usual cast: ann owns "general", bob is in it.
    func annAndBobInGeneral() async throws -> (ann: TestUser, bob: TestUser, room: RoomInfo) {
        let ann = try await register("ann")
        let bob = try await register("bob")
        return (ann, bob, try await group("general", owner: ann, members: [bob]))
    }

    /// A group room owned by `owner` with `members`.
    func group(_ name: String, owner: TestUser, members: [TestUser]) async throws -> RoomInfo {
        let reply = try await owner.api.post("/api/rooms", CreateRoomRequest(type: .group, name: name, participantIDs: members.map(\.id)))
        return try owner.api.expect(reply)
    }
}
