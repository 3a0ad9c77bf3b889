import ArgumentParser
import Foundation

/// `fitchat-bench`: load against a freshly started `fitchat serve` (the binary beside this one),
/// or against `--server URL`. Prints Markdown tables; see BENCHMARKS.md.
@main
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fitchat-bench",
        abstract: "Measure a fitchat server: idle connections, fan-out, one-shot CLI sends.",
        subcommands: [Idle.self, Fanout.self, CLI.self, Smoke.self]
    )

    struct Target: ParsableArguments {
        @Option(help: "A running server to measure (default: start a fresh one; memory and CPU need that).")
        var server: String?

        func start() throws -> ServerUnderTest {
            try server.map(ServerUnderTest.external) ?? ServerUnderTest.start()
        }
    }

    struct Idle: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Open N authenticated connections, each joined to a room; report memory per connection.")
        @OptionGroup var target: Target
        @Option var connections = 1000
        @Option var users = 100

        func run() async throws {
            let server = try target.start()
            defer { server.stop() }
            try await IdleConnections(connections: connections, users: users).run(on: server)
        }
    }

    struct Fanout: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Rooms of members, paced senders; report deliveries/s, latency, loss.")
        @OptionGroup var target: Target
        @Option var rooms = 1
        @Option var members = 50
        @Option var senders = 1
        @Option(help: "Messages per second in all; 0 sends as fast as possible.") var rate = 1000.0
        @Option var seconds = 10.0

        func run() async throws {
            let server = try target.start()
            defer { server.stop() }
            let complete = try await FanOut(rooms: rooms, members: members, senders: senders, rate: rate, seconds: seconds).run(on: server)
            if !complete { throw ExitCode(1) }
        }
    }

    struct CLI: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Time `fitchat send` against curl posting the same message.")
        @OptionGroup var target: Target
        @Option var runs = 20

        func run() async throws {
            let server = try target.start()
            defer { server.stop() }
            try await CLIRatio(runs: runs).run(on: server)
        }
    }

    struct Smoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A small run of everything (CI): exits 1 if a message was lost or repeated.")

        func run() async throws {
            let server = try ServerUnderTest.start()
            defer { server.stop() }
            try await IdleConnections(connections: 50, users: 5).run(on: server)
            let complete = try await FanOut(rooms: 2, members: 5, senders: 2, rate: 100, seconds: 2).run(on: server)
            try await CLIRatio(runs: 3).run(on: server)
            if !complete { throw ExitCode(1) }
        }
    }
}
