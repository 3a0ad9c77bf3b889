import AsyncHTTPClient
import NIOCore
import NIOPosix
import NIOSSL

/// Why a connection to the server failed, in the few words a person at a shell needs
/// ("connection refused", "cannot resolve host ..."), not a library's nested error dump.
enum TransportFailure {
    static func describe(_ error: any Error) -> String {
        switch error {
        case let error as IOError:
            return describe(errno: error.errnoCode)
        case let error as NIOConnectionError:
            if error.dnsAError != nil || error.dnsAAAAError != nil { return "cannot resolve host \(error.host)" }
            if let first = error.connectionErrors.first { return describe(first.error) }
            return "cannot connect to \(error.host):\(error.port)"
        case let error as SocketAddressError:
            if case .unknown(let host, _) = error { return "cannot resolve host \(host)" }
            return "\(error)"
        case let error as ChannelError:
            if case .connectTimeout = error { return "timed out connecting" }
            return "\(error)"
        case let error as HTTPClientError where error == .connectTimeout || error == .deadlineExceeded:
            return "timed out"
        case let error as HTTPClientError where error == .remoteConnectionClosed:
            return "the server closed the connection"
        case let error as NIOSSLError:
            return "TLS failed: \(error)"
        case let error as BoringSSLError:
            return "TLS failed: \(error)"
        default:
            let text = String(describing: error)
            return text.split(whereSeparator: \.isNewline).joined(separator: " ")
        }
    }

    /// A system error in the same words: "connection refused".
    static func describe(errno code: Int32) -> String {
        String(cString: strerror(code)).lowercased()
    }
}
