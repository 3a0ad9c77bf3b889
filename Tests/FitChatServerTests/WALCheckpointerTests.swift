import FitChatProtocol
import FitChatTestSupport
import Foundation
import GRDB
import Testing

@testable import FitChatServer

/// The server copies SQLite's log into the database file on its own, soon after a commit, so
/// that no commit has to (SQLite would only do it once the log passed 1,000 pages).
@Suite struct WALCheckpointerTests {
    /// The messages the database file holds by itself, without its log: what a checkpoint put
    /// there. Read from a copy, so the server's files are left alone; nil while the copy caught
    /// the file mid-write.
    private func contentsInTheFileAlone(_ path: String, in directory: URL) -> Set<String>? {
        let copy = directory.appendingPathComponent("alone-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: copy) }
        guard (try? FileManager.default.copyItem(atPath: path, toPath: copy)) != nil else { return nil }
        var configuration = Configuration()
        configuration.readonly = true
        return try? DatabaseQueue(path: copy, configuration: configuration).read { db in
            Set(try String.fetchAll(db, sql: "SELECT content FROM messages"))
        }
    }

    @Test func committedMessagesReachTheDatabaseFileWithoutWaitingForTheLogToFill() async throws {
        try await withServer { server in
            let (ann, _, room) = try await server.annAndBobInGeneral()
            let sent = Set((1...5).map { "checkpointed \($0)" })
            for content in sent.sorted() {
                let reply = try await ann.api.post("/api/rooms/\(room.id)/messages", PostMessageRequest(content: content))
                #expect(reply.status == 201)
            }
            let deadline = ContinuousClock.now + .seconds(10)
            var inFile: Set<String> = []
            while !sent.isSubset(of: inFile), ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
                inFile = contentsInTheFileAlone(server.databasePath, in: server.directory) ?? inFile
            }
            #expect(sent.isSubset(of: inFile), "the database file alone holds \(inFile.sorted())")
        }
    }
}
