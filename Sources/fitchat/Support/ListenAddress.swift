import ArgumentParser
import FitChatServer

/// `HOST:PORT` as `--metrics-listen` takes it: `127.0.0.1:9464`, `[::1]:9464`, `0.0.0.0:9464`.
struct ListenAddress: ExpressibleByArgument, Equatable {
    let host: String
    let port: Int

    init?(argument: String) {
        guard let colon = argument.lastIndex(of: ":"), let port = Int(argument[argument.index(after: colon)...]),
            (1...65535).contains(port)
        else { return nil }
        var host = String(argument[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty, !host.contains(where: \.isWhitespace) else { return nil }
        self.host = host
        self.port = port
    }

    var metricsListen: MetricsListen { MetricsListen(host: host, port: port) }
}
