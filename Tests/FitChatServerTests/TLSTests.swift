import FitChatTestSupport
import AsyncHTTPClient
import FitChatProtocol
import Foundation
import NIOSSL
import Testing

@Suite struct TLSTests {
    /// A self-signed certificate for 127.0.0.1, made with the openssl command line.
    static func makeCertificate(in directory: URL) async throws -> (certificate: String, key: String) {
        let certificate = directory.appendingPathComponent("cert.pem").path
        let key = directory.appendingPathComponent("key.pem").path
        let openssl = try await ChildProcess.run(URL(fileURLWithPath: "/usr/bin/env"), [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout", key, "-out", certificate,
        ])
        guard openssl.status == 0 else { throw TestFailure("openssl could not make a certificate: \(openssl.stderr)") }
        return (certificate, key)
    }

    @Test func servesHTTPSAndWSSWithTheGivenCertificate() async throws {
        let directory = try TestServer.makeDirectory()
        let (certificate, key) = try await Self.makeCertificate(in: directory)
        let server = try await TestServer.start(directory: directory, scheme: "https") {
            $0.tlsCertificatePath = certificate
            $0.tlsKeyPath = key
        }
        defer { Task { await server.stop() } }
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .file(certificate)
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
        do {
            let api = APIClient(baseURL: server.baseURL, client: client)
            let health = try await api.get("/health")
            #expect(health.status == 200)
            let auth: AuthResponse = try api.expect(try await api.post("/api/auth/register", RegisterRequest(username: "ann", password: "correct horse")))
            // NIOSSL refuses an IP address as SNI, so the WebSocket names the host `localhost`.
            let socket = try await TestSocket.connect(server, token: auth.accessToken, tls: tls, sniHostname: "localhost")
            try socket.send(.ping(Heartbeat(timestamp: .integer(7))), id: "secure")
            #expect(try await socket.next("pong").id == "secure")
            await socket.close()
            // Without trusting the certificate, the connection is refused.
            await #expect(throws: (any Error).self) {
                _ = try await server.anonymous.request(.GET, "/health", timeout: .seconds(3))
            }
        } catch {
            try await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }
}
