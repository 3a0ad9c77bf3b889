import FitChatTestSupport
import Foundation
import Testing

@Suite struct TLSCommandTests {
    /// https for REST and wss for tail, trusting the test's self-signed certificate through
    /// FITCHAT_CA_FILE; without it the server is not trusted and counts as unreachable.
    @Test func httpsAndWSSWithAnExtraCA() async throws {
        let directory = try TestServer.makeDirectory()
        let certificate = directory.appendingPathComponent("cert.pem").path
        let key = directory.appendingPathComponent("key.pem").path
        let openssl = try await ChildProcess.run(URL(fileURLWithPath: "/usr/bin/env"), [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
            "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout", key, "-out", certificate,
        ])
        try #require(openssl.status == 0, "\(openssl.stderr)")
        let server = try await TestServer.start(directory: directory, scheme: "https") {
            $0.tlsCertificatePath = certificate
            $0.tlsKeyPath = key
        }
        do {
            try await exchangeMessages(server, certificate: certificate)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    private func exchangeMessages(_ server: TestServer, certificate: String) async throws {
        var cli = try CLI(server: server)
        let untrusted = try await cli.run(["register", "ann", "--password-stdin"], as: "ann", input: "password-of-ann\n")
        #expect(untrusted.status == 69)

        cli.caFile = certificate
        try await cli.register("ann")
        try await cli.register("bob")
        try await cli.ok(["rooms", "create", "secure", "--member", "bob"], as: "ann")
        let tail = try cli.start(["tail", "secure", "--json", "--count", "2", "--events", "room_joined,new_message"], as: "bob")
        var lines = tail.lines.makeAsyncIterator()
        #expect(await lines.next()?.contains("room_joined") == true)
        try await cli.ok(["send", "secure", "over tls"], as: "ann")
        #expect(await lines.next()?.contains("over tls") == true)
        #expect(await tail.exitStatus() == 0)
    }
}
