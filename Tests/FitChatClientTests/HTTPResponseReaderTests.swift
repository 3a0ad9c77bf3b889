@testable import FitChatClient
import Testing

/// The answers of a one-shot call read from bytes: each framing whole and a byte at a time,
/// and every way an answer can be wrong.
@Suite struct HTTPResponseReaderTests {
    typealias Reader = HTTPResponseReader

    /// The answer after feeding `text` in pieces of `size` bytes and then, if `ends`, the end
    /// of the connection.
    func read(_ text: String, in size: Int = .max, limit: Int = 1 << 20, ends: Bool = false) throws(Reader.Failure) -> Reader.Response? {
        var reader = Reader(maximumBodySize: limit)
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let end = min(bytes.count, offset + min(size, bytes.count))
            try reader.receive(bytes[offset..<end])
            offset = end
        }
        if ends { try reader.receiveEnd() }
        return reader.response
    }

    static let framings: [(String, Reader.Response)] = [
        ("HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n{\"seq\":12345}", .init(status: 201, body: Array(#"{"seq":12345}"#.utf8))),
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n1\r\n,\r\n6\r\n world\r\n0\r\nTrailer: x\r\n\r\n", .init(status: 200, body: Array("hello, world".utf8))),
        ("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok", .init(status: 200, body: Array("ok".utf8))),
        ("HTTP/1.1 204 No Content\r\nX: y\r\n\r\n", .init(status: 204, body: [])),
        // Chunked wins over a length (RFC 9112 §6.3).
        ("HTTP/1.1 200 OK\r\nContent-Length: 99\r\nTransfer-Encoding: gzip, chunked\r\n\r\n2\r\nab\r\n0\r\n\r\n", .init(status: 200, body: Array("ab".utf8))),
    ]

    @Test(arguments: [1, 2, 3, 7, Int.max])
    func everyFramingIsReadWholeHoweverTheBytesArrive(pieceSize: Int) throws {
        for (text, expected) in Self.framings {
            #expect(try read(text, in: pieceSize) == expected, "\(text.prefix(30)) in pieces of \(pieceSize)")
        }
    }

    @Test func anAnswerWithoutLengthEndsWithTheConnection() throws {
        let text = "HTTP/1.0 500 Internal Server Error\r\nContent-Type: text/plain\r\n\r\nit broke"
        #expect(try read(text) == nil)
        #expect(try read(text, ends: true) == .init(status: 500, body: Array("it broke".utf8)))
    }

    @Test func anAnswerIsNotWholeBeforeItsLastByte() throws {
        #expect(try read("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhell") == nil)
        #expect(try read("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n") == nil)
        #expect(try read("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n") == nil)
    }

    @Test func aConnectionThatEndsEarlySaysWhere() {
        #expect(throws: Reader.Failure.closedBeforeAnswering) { try read("", ends: true) }
        #expect(throws: Reader.Failure.cutShort) { try read("HTTP/1.1 200 OK\r\nContent-Le", ends: true) }
        #expect(throws: Reader.Failure.cutShort) { try read("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhel", ends: true) }
        #expect(throws: Reader.Failure.cutShort) { try read("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel", ends: true) }
    }

    @Test(arguments: [
        "SSH-2.0-OpenSSH_9.2\r\n\r\n",
        "HTTP/2 200\r\n\r\n",
        "HTTP/1.1 20 OK\r\n\r\n",
        "HTTP/1.1 2x0 OK\r\n\r\n",
        "HTTP/1.1 200 OK\r\nno colon here\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 1e3\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nabc",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabXY0\r\n\r\n",
    ])
    func aMalformedAnswerIsRefused(text: String) {
        #expect {
            _ = try read(text)
        } throws: { error in
            guard case Reader.Failure.malformed = error else { return false }
            return true
        }
    }

    @Test func endlessHeadsAndChunkLinesAreRefusedWithoutBeingHeld() {
        let endlessHead = "HTTP/1.1 200 OK\r\nX: " + String(repeating: "a", count: Reader.maximumHeadSize)
        #expect(throws: Reader.Failure.self) { try read(endlessHead, in: 4096) }
        let endlessChunkSize = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + String(repeating: "0", count: 2000)
        #expect(throws: Reader.Failure.malformed("a chunk size line is longer than 1024 bytes")) { try read(endlessChunkSize, in: 100) }
    }

    @Test func aBodyOverTheLimitIsRefusedInEveryFraming() {
        #expect(throws: Reader.Failure.tooLarge(limit: 10)) { try read("HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n", limit: 10) }
        #expect(throws: Reader.Failure.tooLarge(limit: 10)) {
            try read("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nabcdef\r\n6\r\nabcdef\r\n0\r\n\r\n", limit: 10)
        }
        #expect(throws: Reader.Failure.tooLarge(limit: 10)) { try read("HTTP/1.1 200 OK\r\n\r\n" + String(repeating: "x", count: 11), limit: 10) }
        #expect(throws: Never.self) { try read("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789", limit: 10) }
    }
}
