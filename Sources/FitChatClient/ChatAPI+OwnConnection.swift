import Foundation
import NIOCore
import NIOHTTP1

/// The JSON calls of `Transport.connectionPerCall`: the same requests and the same errors as
/// through the pool, over a `PlainHTTPCall`.
extension ChatAPI {
    func sendOnOwnConnection(_ method: HTTPMethod, _ path: String, json: Data?) throws(ClientError) -> Data {
        let target = server.basePath + path
        guard target.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw .configuration("the server URL's path '\(server.basePath)' must be percent-encoded")
        }
        var head = "\(method.rawValue) \(target) HTTP/1.1\r\nHost: \(server.hostHeader)\r\nUser-Agent: fitchat-cli\r\n"
        if let token {
            guard token.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else {
                throw .configuration("the token holds characters a token cannot have")
            }
            head += "Authorization: Bearer \(token)\r\n"
        }
        if let json { head += "Content-Type: application/json\r\nContent-Length: \(json.count)\r\n" }
        head += "Connection: close\r\n\r\n"
        let call = PlainHTTPCall(
            host: server.host, port: server.port, connectTimeout: Self.connectTimeout.duration,
            answerTimeout: Self.requestTimeout.duration, maximumBodySize: Self.maximumAnswerSize
        )
        let response: HTTPResponseReader.Response
        do {
            response = try call.perform(head: head, body: json.map { [UInt8]($0) } ?? [])
        } catch {
            throw clientError(error, method: method, path: path)
        }
        let data = Data(response.body)
        guard (200..<300).contains(response.status) else { throw Self.refusal(UInt(response.status), data, method: method, path: path) }
        return data
    }

    /// The words the pooled client's failures have (`transportError`), for the same causes.
    private func clientError(_ failure: PlainHTTPCall.Failure, method: HTTPMethod, path: String) -> ClientError {
        switch failure {
        case .cannotResolve(let host): Self.cannotReach(server, "cannot resolve host \(host)")
        case .connectFailed(let code), .connectionFailed(let code): Self.cannotReach(server, TransportFailure.describe(errno: code))
        case .connectTimedOut: Self.cannotReach(server, "timed out")
        case .answerTimedOut: Self.stoppedAnswering(server)
        case .answer(.closedBeforeAnswering): Self.cannotReach(server, "the server closed the connection")
        case .answer(.cutShort): Self.cannotReach(server, "the server closed the connection within its answer")
        case .answer(.malformed(let reason)): .protocolViolation("unexpected answer from \(method) \(path): \(reason)")
        case .answer(.tooLarge(let limit)): .protocolViolation("the answer to \(method) \(path) is larger than \(limit >> 20) MiB")
        }
    }
}

extension TimeAmount {
    fileprivate var duration: Duration { .nanoseconds(nanoseconds) }
}
