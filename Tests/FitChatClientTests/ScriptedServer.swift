import Foundation
import Synchronization

/// A listening socket that answers its first connection with bytes a test writes, in pieces
/// with pauses between them: for the framings and failures a real server never produces.
final class ScriptedServer: Sendable {
    enum Step: Sendable {
        case send(String)
        case pause(milliseconds: Int)
        /// Keeps the connection open, answering nothing, until the server is stopped.
        case hang
    }

    let port: Int
    private let listener: Int32
    private let request = Mutex<[UInt8]>([])
    private let finished = DispatchSemaphore(value: 0)
    private let stopped = DispatchSemaphore(value: 0)

    init(_ steps: [Step]) throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(listener, pointer, length) == 0 && listen(listener, 1) == 0 && getsockname(listener, pointer, &length) == 0
            }
        }
        guard bound else {
            close(listener)
            throw POSIXError(.EADDRNOTAVAIL)
        }
        self.listener = listener
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread { [self] in serve(steps) }.start()
    }

    /// The bytes of the request the client sent (its head and its body).
    var received: String {
        String(decoding: request.withLock { $0 }, as: UTF8.self)
    }

    /// Ends a hanging script, or a wait for a connection that never came, and closes the listener.
    func stop() {
        stopped.signal()
        shutdown(listener, Int32(SHUT_RDWR))
        finished.wait()
        close(listener)
    }

    private func serve(_ steps: [Step]) {
        defer { finished.signal() }
        let connection = accept(listener, nil, nil)
        guard connection >= 0 else { return }
        defer { close(connection) }
        readRequest(connection)
        for step in steps {
            switch step {
            case .send(let text):
                _ = Array(text.utf8).withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            case .pause(let milliseconds):
                usleep(UInt32(milliseconds * 1000))
            case .hang:
                stopped.wait()
            }
        }
    }

    /// Reads the head and as much body as its Content-Length says.
    private func readRequest(_ connection: Int32) {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while !Self.isWhole(bytes) {
            let count = chunk.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { break }
            bytes += chunk[..<count]
        }
        request.withLock { $0 = bytes }
    }

    private static func isWhole(_ bytes: [UInt8]) -> Bool {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let end = text.range(of: "\r\n\r\n") else { return false }
        let length = text[..<end.lowerBound].split(separator: "\r\n")
            .first { $0.lowercased().hasPrefix("content-length:") }
            .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
        return text.utf8.count - text.utf8.distance(from: text.utf8.startIndex, to: end.upperBound) >= length
    }
}
