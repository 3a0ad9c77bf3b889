import FitChatTestSupport
import FitChatProtocol
import Foundation
import Testing

@Suite struct AuthTests {
    @Test func registerLoginAndMe() async throws {
        try await withServer { server in
            let ann = try await server.register("ann")
            #expect(ann.username == "ann")
            let conflict = try await server.anonymous.post("/api/auth/register", RegisterRequest(username: "ANN", password: "another one"))
            #expect(conflict.status == 409)
            #expect(conflict.error?.error.code == .conflict)

            let login = try await server.anonymous.post("/api/auth/login", LoginRequest(username: "ann", password: "correct horse"))
            let auth: AuthResponse = try server.anonymous.expect(login)
            #expect(auth.tokenType == "bearer")
            #expect(auth.expiresIn > 0)
            let me: UserInfo = try server.anonymous.expect(try await APIClient(baseURL: server.baseURL, token: auth.accessToken).get("/api/users/me"))
            #expect(me.id == ann.id)

            let wrong = try await server.anonymous.post("/api/auth/login", LoginRequest(username: "ann", password: "wrong password"))
            #expect(wrong.status == 401)
            #expect(wrong.error?.error.code == .unauthorized)
        }
    }

    @Test func validationErrorsNameTheProblem() async throws {
        try await withServer { server in
            let short = try await server.anonymous.post("/api/auth/register", RegisterRequest(username: "x", password: "correct horse"))
            #expect(short.status == 400)
            #expect(short.error?.error.message.contains("username") == true)
            let numeric = try await server.anonymous.post("/api/auth/register", RegisterRequest(username: "12345", password: "correct horse"))
            #expect(numeric.status == 400)
            let weak = try await server.anonymous.post("/api/auth/register", RegisterRequest(username: "bob", password: "short"))
            #expect(weak.error?.error.message.contains("password") == true)
            let garbage = try await server.anonymous.request(.POST, "/api/auth/register", rawBody: "{nope")
            #expect(garbage.status == 400)
            #expect(garbage.error?.error.code == .invalid)
        }
    }

    @Test func everyProtectedRouteNeedsAValidToken() async throws {
        try await withServer { server in
            let health = try await server.anonymous.get("/health")
            #expect(health.status == 200)
            #expect(try health.decode(HealthStatus.self).status == "ok")
            for path in ["/api/users/me", "/api/rooms", "/api/friends", "/api/blocks"] {
                let reply = try await server.anonymous.get(path)
                #expect(reply.status == 401, "\(path)")
                #expect(reply.error?.error.code == .unauthorized)
                let forged = try await APIClient(baseURL: server.baseURL, token: "a.b.c").get(path)
                #expect(forged.status == 401, "\(path)")
            }
            let unknown = try await (try await server.register("ann")).api.get("/api/nothing-here")
            #expect(unknown.status == 404)
            #expect(unknown.error?.error.code == .notFound)
        }
    }

    /// The scheme is case-insensitive (RFC 9110 §11.1); another scheme, or a query token on
    /// REST, is no credential at all.
    @Test func theBearerSchemeIsMatchedWithoutRegardToCase() async throws {
        try await withServer { server in
            let ann = try await server.register("ann")
            for scheme in ["Bearer", "bearer", "BEARER"] {
                let reply = try await server.anonymous.request(.GET, "/api/users/me", headers: [("Authorization", "\(scheme) \(ann.token)")])
                #expect(reply.status == 200, "\(scheme)")
            }
            let basic = try await server.anonymous.request(.GET, "/api/users/me", headers: [("Authorization", "Basic \(ann.token)")])
            #expect(basic.status == 401)
            let query = try await server.anonymous.get("/api/users/me?token=\(ann.token)")
            #expect(query.status == 401)
        }
    }

    @Test func repeatedFailedLoginsAreThrottled() async throws {
        try await withServer(configure: { $0.limits.loginFailuresAllowed = 3 }) { server in
            _ = try await server.register("ann")
            for _ in 0..<3 {
                let reply = try await server.anonymous.post("/api/auth/login", LoginRequest(username: "ann", password: "wrong password"))
                #expect(reply.status == 401)
            }
            let throttled = try await server.anonymous.post("/api/auth/login", LoginRequest(username: "ann", password: "correct horse"))
            #expect(throttled.status == 429)
            #expect(throttled.error?.error.code == .rateLimited)
            #expect(Int(throttled.headers.first(name: "Retry-After") ?? "") ?? 0 > 0)
        }
    }

    @Test func passwordsAreStoredAsBcryptHashes() async throws {
        try await withServer { server in
            _ = try await server.register("ann", password: "correct horse")
            let dump = try String(contentsOfFile: server.databasePath, encoding: .isoLatin1)
                + ((try? String(contentsOfFile: server.databasePath + "-wal", encoding: .isoLatin1)) ?? "")
            #expect(!dump.contains("correct horse"))
            #expect(dump.contains("$2b$04$"))
        }
    }
}
