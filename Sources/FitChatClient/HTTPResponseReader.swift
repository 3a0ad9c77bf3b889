/// Reads one HTTP/1.1 answer from the bytes of a connection as they arrive: the status, then
/// a body framed by `Content-Length`, by chunks, or by the end of the connection. No I/O here,
/// so every framing and every malformed answer is testable from bytes alone.
struct HTTPResponseReader {
    /// What is known once the answer is complete.
    struct Response: Equatable {
        var status: Int
        var body: [UInt8]
    }

    enum Failure: Error, Equatable {
        /// The connection ended before a byte of an answer (a server that is stopping).
        case closedBeforeAnswering
        /// The connection ended within the answer.
        case cutShort
        case malformed(String)
        case tooLarge(limit: Int)
    }

    private enum Framing: Equatable {
        case length(Int)
        case chunked
        case untilClose
    }

    private enum State {
        case head
        case body(status: Int, framing: Framing)
        case done(Response)
    }

    /// The longest status line and header block accepted (the server's are a few hundred bytes).
    static let maximumHeadSize = 64 << 10

    let maximumBodySize: Int
    /// Bytes received and not yet taken: `buffer[start...]`. Taking moves `start` (no copying
    /// per chunk); the taken prefix is dropped once per `receive`.
    private var buffer: [UInt8] = []
    private var start = 0
    /// Where the search for the end of the head goes on (it is not searched again from 0).
    private var searched = 0
    private var state = State.head
    private var body: [UInt8] = []

    init(maximumBodySize: Int) {
        self.maximumBodySize = maximumBodySize
    }

    /// The answer, once it is whole.
    var response: Response? {
        if case .done(let response) = state { return response }
        return nil
    }

    /// Takes the next bytes read from the connection.
    mutating func receive(_ bytes: some Sequence<UInt8>) throws(Failure) {
        if start > 0 {
            buffer.removeSubrange(..<start)
            searched = max(0, searched - start)
            start = 0
        }
        buffer.append(contentsOf: bytes)
        try advance()
    }

    private var pending: ArraySlice<UInt8> { buffer[start...] }

    /// The connection ended: an answer framed by its end is complete; any other is cut short.
    mutating func receiveEnd() throws(Failure) {
        switch state {
        case .done: return
        case .body(let status, .untilClose):
            state = .done(Response(status: status, body: body))
            body = []
        case .head where pending.isEmpty:
            throw .closedBeforeAnswering
        default:
            throw .cutShort
        }
    }

    private mutating func advance() throws(Failure) {
        while true {
            switch state {
            case .done:
                return
            case .head:
                let terminator: [UInt8] = [13, 10, 13, 10]
                guard let end = Self.index(of: terminator, in: buffer[max(start, searched)...]) else {
                    if pending.count > Self.maximumHeadSize { throw .malformed("an answer's headers are longer than \(Self.maximumHeadSize) bytes") }
                    searched = max(start, buffer.count - terminator.count + 1)
                    return
                }
                let head = buffer[start..<end]
                start = end + terminator.count
                searched = start
                let (status, framing) = try Self.parseHead(head)
                // 1xx answers are interim (RFC 9110 §15.2): the real one follows.
                if (100..<200).contains(status) { continue }
                if status == 204 || status == 304 {
                    state = .done(Response(status: status, body: []))
                } else if case .length(let length) = framing, length > maximumBodySize {
                    throw .tooLarge(limit: maximumBodySize)
                } else {
                    state = .body(status: status, framing: framing)
                }
            case .body(let status, let framing):
                guard try readBody(framing) else { return }
                state = .done(Response(status: status, body: body))
                body = []
            }
        }
    }

    /// Moves what the buffer holds of the body into `body`; true once the body is whole.
    private mutating func readBody(_ framing: Framing) throws(Failure) -> Bool {
        switch framing {
        case .untilClose:
            try take(pending.count)
            return false
        case .length(let length):
            try take(min(length - body.count, pending.count))
            return body.count == length
        case .chunked:
            while true {
                guard let lineEnd = Self.index(of: [13, 10], in: pending.prefix(1026)) else {
                    if pending.count > 1024 { throw .malformed("a chunk size line is longer than 1024 bytes") }
                    return false
                }
                let sizeText = String(decoding: buffer[start..<lineEnd], as: UTF8.self).split(separator: ";", maxSplits: 1).first ?? ""
                guard let size = Int(sizeText.trimmingBlanks(), radix: 16), size >= 0 else {
                    throw .malformed("a chunk size is not a hexadecimal number")
                }
                if size == 0 { return true }
                guard size <= maximumBodySize - body.count else { throw .tooLarge(limit: maximumBodySize) }
                let chunkEnd = lineEnd + 2 + size
                guard buffer.count >= chunkEnd + 2 else { return false }
                guard buffer[chunkEnd] == 13, buffer[chunkEnd + 1] == 10 else { throw .malformed("a chunk does not end with CRLF") }
                start = lineEnd + 2
                try take(size)
                start += 2
            }
        }
    }

    /// Moves the next `count` pending bytes into the body.
    private mutating func take(_ count: Int) throws(Failure) {
        guard count <= maximumBodySize - body.count else { throw .tooLarge(limit: maximumBodySize) }
        body.append(contentsOf: buffer[start..<(start + count)])
        start += count
    }

    /// The status and how the body is framed (RFC 9112 §6.3: chunked wins over a length).
    private static func parseHead(_ head: ArraySlice<UInt8>) throws(Failure) -> (Int, Framing) {
        let lines = String(decoding: head, as: UTF8.self).split(separator: "\r\n", omittingEmptySubsequences: false)
        let statusLine = lines.first.map(String.init) ?? ""
        let parts = statusLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), parts[1].count == 3, parts[1].allSatisfy(\.isASCIIDigit),
            let status = Int(parts[1])
        else { throw .malformed("not an HTTP/1.1 status line: \(statusLine.prefix(80))") }
        var length: Int?
        var chunked = false
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { throw .malformed("a header line has no colon") }
            let name = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].trimmingBlanks()
            switch name {
            case "content-length":
                guard !value.isEmpty, value.count <= 18, value.allSatisfy(\.isASCIIDigit), let number = Int(value) else {
                    throw .malformed("Content-Length is not a number: \(value.prefix(40))")
                }
                guard length == nil || length == number else {
                    throw .malformed("the answer has several different Content-Length headers")
                }
                length = number
            case "transfer-encoding":
                chunked = value.lowercased().split(separator: ",").last?.trimmingBlanks() == "chunked"
            default:
                break
            }
        }
        if chunked { return (status, .chunked) }
        return (status, length.map(Framing.length) ?? .untilClose)
    }

    /// Where `pattern` first starts in `bytes`, as an index of the array they are a slice of.
    private static func index(of pattern: [UInt8], in bytes: ArraySlice<UInt8>) -> Int? {
        guard bytes.count >= pattern.count else { return nil }
        for start in bytes.startIndex...(bytes.endIndex - pattern.count) where bytes[start] == pattern[0] {
            if bytes[start..<(start + pattern.count)].elementsEqual(pattern) { return start }
        }
        return nil
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}

extension StringProtocol {
    /// Without the spaces and tabs around it (optional whitespace of RFC 9110 §5.6.3).
    fileprivate func trimmingBlanks() -> String {
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" { slice.removeFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice.removeLast() }
        return String(slice)
    }
}
