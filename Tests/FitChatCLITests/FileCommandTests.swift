import FitChatTestSupport
import Foundation
import Testing

/// `send --file` and `download` through the built binary: the same bytes come back.
@Suite struct FileCommandTests {
    @Test func aFileSentComesBackTheSameAndIsNeverWrittenOverWithoutForce() async throws {
        try await withAnnAndBob { cli in
            try await cli.ok(["rooms", "create", "general", "--member", "bob"], as: "ann")
            let directory = try TestServer.makeDirectory()
            let source = directory.appendingPathComponent("numbers.csv")
            let bytes = Data((0..<700_000).map { UInt8(truncatingIfNeeded: $0 &* 13) })
            try bytes.write(to: source)
            let sent = try await cli.ok(["send", "general", "--file", source.path, "this", "week", "--json"], as: "ann").objects()
            let message = try #require(sent.first)
            let attachment = try #require(message["attachment"] as? [String: Any])
            #expect(message["content"] as? String == "this week" && message["message_type"] as? String == "file")
            #expect(attachment["filename"] as? String == "numbers.csv" && attachment["size"] as? Int == 700_000)
            #expect(attachment["content_type"] as? String == "text/csv")
            let id = try #require(message["id"] as? String)

            let history = try await cli.ok(["history", "general"], as: "bob").stdout
            #expect(history.last?.hasSuffix("ann: this week [file numbers.csv, 683.6 KiB]") == true, "\(history)")

            let downloads = try TestServer.makeDirectory()
            let saved = try await cli.ok(["download", String(id.prefix(8)), "-o", downloads.path], as: "bob")
            let path = downloads.appendingPathComponent("numbers.csv").path
            #expect(saved.stdout == [path])
            #expect(FileManager.default.contents(atPath: path) == bytes)
            let again = try await cli.run(["download", id, "-o", downloads.path], as: "bob")
            #expect(again.status == 64 && again.stderr.contains("exists: give --force"), "\(again.stderr)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: downloads.path) == ["numbers.csv"], "no partial file is left")
            try await cli.ok(["download", id, "-o", path, "--force"], as: "bob")
            #expect(FileManager.default.contents(atPath: path) == bytes)

            // A whole attachment id works as well as the message's.
            let attachmentID = try #require(attachment["id"] as? String)
            let byAttachment = try await cli.ok(["download", attachmentID, "-o", "-"], as: "bob")
            #expect(byAttachment.stdout.joined(separator: "\n").utf8.count > 0)
            let named = try TestServer.makeDirectory()
            let viaID = try await cli.ok(["download", attachmentID, "-o", named.path], as: "bob")
            #expect(viaID.stdout == [named.appendingPathComponent("numbers.csv").path], "the name comes from Content-Disposition")
            #expect(FileManager.default.contents(atPath: named.appendingPathComponent("numbers.csv").path) == bytes)

            let piped = try await cli.ok(["send", "general", "--file", "-", "--filename", "notes.txt", "--json"], as: "bob", input: "from a pipe\n").objects()
            let pipedID = try #require(piped.first?["id"] as? String)
            let out = try await cli.ok(["download", pipedID, "-o", "-"], as: "ann")
            #expect(out.stdout == ["from a pipe"])

            let noName = try await cli.run(["send", "general", "--file", "-"], as: "bob", input: "x")
            #expect(noName.status == 64 && noName.stderr.contains("--filename"))
            let missing = try await cli.run(["send", "general", "--file", directory.appendingPathComponent("nope").path], as: "bob")
            #expect(missing.status == 64 && missing.stderr.contains("no file"))
            let plain = try await cli.ok(["send", "general", "just words", "--json"], as: "bob").objects()
            let text = try await cli.run(["download", try #require(plain.first?["id"] as? String)], as: "bob")
            #expect(text.status == 1 && text.stderr.contains("shares no file"), "\(text.stderr)")
        }
    }

    @Test func anUploadOverTheServersLimitSaysSo() async throws {
        try await withServer(configure: { $0.limits.maxUploadSize = 1000 }) { server in
            let cli = try CLI(server: server)
            try await cli.register("ann")
            try await cli.ok(["rooms", "create", "files"], as: "ann")
            let big = try TestServer.makeDirectory().appendingPathComponent("big.bin")
            try Data(count: 5000).write(to: big)
            let refused = try await cli.run(["send", "files", "--file", big.path], as: "ann")
            #expect(refused.status == 1 && refused.stderr.contains("at most 1000 bytes"), "\(refused.stderr)")
        }
    }
}
