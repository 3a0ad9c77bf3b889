import FitChatClient
import Foundation
import Testing

@Suite struct ClientCoreTests {
    @Test func serverAddressesAcceptHTTPAndWebSocketForms() throws {
        let plain = try ServerAddress("127.0.0.1:8000")
        #expect(plain.httpBase == "http://127.0.0.1:8000")
        #expect(plain.webSocketURL == "ws://127.0.0.1:8000/ws/chat")
        let secure = try ServerAddress("wss://chat.example.org/fitchat/")
        #expect(secure.httpBase == "https://chat.example.org:443/fitchat")
        #expect(secure.webSocketURL == "wss://chat.example.org:443/fitchat/ws/chat")
        #expect(throws: ClientError.self) { try ServerAddress("ftp://example.org") }
        #expect(throws: ClientError.self) { try ServerAddress("http://") }
    }

    @Test func backoffGrowsWithJitterUpToTheCapAndResets() {
        var backoff = Backoff(initial: .milliseconds(500), cap: .seconds(30))
        let delays = (0..<12).map { _ in backoff.next() }
        #expect(delays[0] >= .milliseconds(250) && delays[0] <= .milliseconds(500))
        #expect(delays[3] >= .seconds(2) && delays[3] <= .seconds(4))
        #expect(delays.allSatisfy { $0 <= .seconds(30) })
        #expect(delays[11] >= .seconds(15))
        backoff.reset()
        #expect(backoff.next() <= .milliseconds(500))
    }

    @Test func profileFilesArePrivateAndProfileNamesCannotEscape() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("fitchat-profile-\(UUID().uuidString)")
        let paths = ClientPaths(environment: ["FITCHAT_HOME": home.path])
        let store = try ProfileStore(name: "work", paths: paths)
        try store.saveToken("a.b.c")
        #expect(try store.token() == "a.b.c")
        let token = paths.configDirectory.appendingPathComponent("profiles/work.token").path
        #expect(try FileManager.default.attributesOfItem(atPath: token)[.posixPermissions] as? Int == 0o600)
        let directory = paths.configDirectory.appendingPathComponent("profiles").path
        #expect(try FileManager.default.attributesOfItem(atPath: directory)[.posixPermissions] as? Int == 0o700)
        #expect(throws: ClientError.self) { try ProfileStore(name: "../etc", paths: paths) }

        let xdg = ClientPaths(environment: ["HOME": "/home/u", "XDG_CONFIG_HOME": "/cfg"])
        #expect(xdg.configDirectory.path == "/cfg/fitchat")
        #expect(xdg.stateDirectory.path == "/home/u/.local/state/fitchat")
    }
}
