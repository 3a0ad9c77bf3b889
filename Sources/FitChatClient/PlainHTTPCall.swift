import Foundation

/// One HTTP/1.1 request over a plain TCP connection opened for it and closed after it, on the
/// calling thread. It is how a one-shot command (`fitchat send`) talks to an `http://` server:
/// starting AsyncHTTPClient's event loop and pool took half of such a run (BENCHMARKS.md).
struct PlainHTTPCall {
    var host: String
    var port: Int
    var connectTimeout: Duration
    /// How long the server may take, from the connection to the end of its answer.
    var answerTimeout: Duration
    var maximumBodySize: Int

    enum Failure: Error, Equatable {
        case cannotResolve(String)
        case connectFailed(errno: Int32)
        case connectTimedOut
        case answerTimedOut
        case connectionFailed(errno: Int32)
        case answer(HTTPResponseReader.Failure)
    }

    /// Sends `head` (request line and headers, ending in an empty line) and `body`, and reads
    /// the whole answer.
    func perform(head: String, body: [UInt8]) throws(Failure) -> HTTPResponseReader.Response {
        let socket = try openConnection()
        defer { close(socket) }
        let deadline = ContinuousClock.now + answerTimeout
        try write(Array(head.utf8) + body, to: socket, before: deadline)
        var reader = HTTPResponseReader(maximumBodySize: maximumBodySize)
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            if let response = reader.response { return response }
            try wait(for: Int16(POLLIN), on: socket, before: deadline, timedOut: .answerTimedOut)
            let count = chunk.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            if count < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw .connectionFailed(errno: errno)
            }
            do throws(HTTPResponseReader.Failure) {
                if count > 0 {
                    try reader.receive(chunk[..<count])
                } else {
                    try reader.receiveEnd()
                }
            } catch {
                throw .answer(error)
            }
        }
    }

    /// The first address of the host that accepts a connection, as a non-blocking socket.
    private func openConnection() throws(Failure) -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Self.streamType
        hints.ai_flags = AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let first = list else { throw .cannotResolve(host) }
        defer { freeaddrinfo(first) }
        let deadline = ContinuousClock.now + connectTimeout
        var lastFailure = Failure.cannotResolve(host)
        var next: UnsafeMutablePointer<addrinfo>? = first
        while let address = next {
            next = address.pointee.ai_next
            let descriptor = socket(address.pointee.ai_family, Self.streamType | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard descriptor >= 0 else {
                lastFailure = .connectFailed(errno: errno)
                continue
            }
            do throws(Failure) {
                try establish(descriptor, to: address.pointee, before: deadline)
                return descriptor
            } catch {
                close(descriptor)
                lastFailure = error
                if error == .connectTimedOut { break }
            }
        }
        throw lastFailure
    }

    private func establish(_ socket: Int32, to address: addrinfo, before deadline: ContinuousClock.Instant) throws(Failure) {
        _ = fcntl(socket, F_SETFL, fcntl(socket, F_GETFL) | O_NONBLOCK)
        var on: Int32 = 1
        _ = setsockopt(socket, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
        if connect(socket, address.ai_addr, address.ai_addrlen) == 0 { return }
        guard errno == EINPROGRESS || errno == EINTR else { throw .connectFailed(errno: errno) }
        try wait(for: Int16(POLLOUT), on: socket, before: deadline, timedOut: .connectTimedOut)
        var failure: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(socket, SOL_SOCKET, SO_ERROR, &failure, &length) == 0 else { throw .connectFailed(errno: errno) }
        if failure != 0 { throw .connectFailed(errno: failure) }
    }

    private func write(_ bytes: [UInt8], to socket: Int32, before deadline: ContinuousClock.Instant) throws(Failure) {
        var sent = 0
        while sent < bytes.count {
            try wait(for: Int16(POLLOUT), on: socket, before: deadline, timedOut: .answerTimedOut)
            let count = bytes.withUnsafeBytes { all in
                all.baseAddress.map { send(socket, $0 + sent, all.count - sent, Int32(MSG_NOSIGNAL)) } ?? 0
            }
            if count >= 0 {
                sent += count
            } else if errno != EINTR && errno != EAGAIN {
                throw .connectionFailed(errno: errno)
            }
        }
    }

    /// Blocks until the socket is ready for `events`, or throws `timedOut` at the deadline.
    private func wait(for events: Int16, on socket: Int32, before deadline: ContinuousClock.Instant, timedOut: Failure) throws(Failure) {
        while true {
            let left = deadline - ContinuousClock.now
            guard left > .zero else { throw timedOut }
            let milliseconds = left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000 + 1
            var descriptor = pollfd(fd: socket, events: events, revents: 0)
            let ready = poll(&descriptor, 1, Int32(clamping: milliseconds))
            if ready > 0 { return }
            if ready < 0 && errno != EINTR { throw .connectionFailed(errno: errno) }
        }
    }

    private static let streamType = Int32(SOCK_STREAM.rawValue)
}
