import Crypto
import Foundation

/// The seed's own stack (bench/seed_server.py: FastAPI + uvicorn, fan-out in memory, no
/// database) as a baseline that the same load runs against in the same run. It checks HS256
/// tokens with a fixed secret and takes any string as a room, so the bench makes its own.
enum SeedStack {
    static let secret = "bench-secret-0123456789abcdef0123456789abcdef"

    /// Starts uvicorn with the seed app on a free loopback port and waits until it accepts.
    static func start(python: String, app: String) throws -> ServerUnderTest {
        let appFile = URL(fileURLWithPath: app)
        guard FileManager.default.isReadableFile(atPath: appFile.path) else { throw BenchError("no seed app at \(app) (--seed-app)") }
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw BenchError("no Python at \(python) (--seed-python; scripts/seed-venv makes one)")
        }
        let port = try freeLoopbackPort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [
            "-m", "uvicorn", appFile.deletingPathExtension().lastPathComponent + ":app", "--app-dir", appFile.deletingLastPathComponent().path,
            "--host", "127.0.0.1", "--port", "\(port)", "--ws", "websockets", "--loop", "uvloop", "--log-level", "warning", "--no-access-log", "--timeout-graceful-shutdown", "1",
        ]
        process.environment = ProcessInfo.processInfo.environment.merging(["SEED_JWT_SECRET": secret, "PYTHONWARNINGS": "ignore"]) { $1 }
        try process.run()
        let deadline = Date().addingTimeInterval(20)
        while !acceptsConnections(port: port) {
            guard process.isRunning, Date() < deadline else {
                process.terminate()
                throw BenchError("the seed stack did not start on port \(port)")
            }
            usleep(50_000)
        }
        return ServerUnderTest(url: "http://127.0.0.1:\(port)", kind: .seed, process: process)
    }

    /// An HS256 token for `subject`, valid for a day, as the seed server checks it.
    static func token(subject: String) -> String {
        let header = base64URL(Data(#"{"alg":"HS256","typ":"JWT"}"#.utf8))
        let expiry = Int(Date().timeIntervalSince1970) + 86_400
        let payload = base64URL(Data(#"{"sub":"\#(subject)","exp":\#(expiry)}"#.utf8))
        let signature = HMAC<SHA256>.authenticationCode(for: Data("\(header).\(payload)".utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return "\(header).\(payload).\(base64URL(Data(signature)))"
    }

    private static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    private static func freeLoopbackPort() throws -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw BenchError("no socket for a free port") }
        defer { close(socket) }
        var address = loopback(port: 0)
        let bound = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) }
        }
        guard bound == 0, named == 0 else { throw BenchError("could not find a free loopback port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private static func acceptsConnections(port: Int) -> Bool {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { return false }
        defer { close(socket) }
        var address = loopback(port: UInt16(truncatingIfNeeded: port))
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }

    private static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }
}
