import ArgumentParser
import Foundation

/// `fitchat-bench`: load against a freshly started `fitchat serve` (the binary beside this one),
/// or against `--server URL`. Prints Markdown tables; see BENCHMARKS.md.
@main
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fitchat-bench",
        abstract: "Measure a fitchat server: idle connections, fan-out, one-shot CLI sends.",
        subcommands: [Idle.self, Fanout.self, Capacity.self, CLI.self, Smoke.self]
    )

    struct Target: ParsableArguments {
        @Option(help: "A running server to measure (default: start a fresh one; memory and CPU need that).")
        var server: String?
        @Option(help: "fitchat, or seed: the seed's own stack (FastAPI + uvicorn, no database) as a baseline.")
        var target: ServerUnderTest.Kind = .fitchat
        @Option(help: "With --target seed: the Python that runs it (scripts/seed-venv prints it).")
        var seedPython = ".build/seed-venv/bin/python"
        @Option(help: "With --target seed: the seed app.")
        var seedApp = "bench/seed_server.py"

        func start() throws -> ServerUnderTest {
            if let server { return ServerUnderTest.external(server, kind: target) }
            return target == .seed ? try SeedStack.start(python: seedPython, app: seedApp) : try ServerUnderTest.start()
        }
    }

    struct Idle: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Open N authenticated connections, each joined to a room; report memory per connection.")
        @OptionGroup var target: Target
        @Option var connections = 1000
        @Option var users = 100
        @Option(help: "Handshakes in flight at once during the ramp.") var concurrency = 500
        @Option(help: ArgumentHelp("Seconds the connections stay open before memory is read (time to attach a profiler).", valueName: "seconds"))
        var hold = 2.0

        func validate() throws {
            guard hold >= 0.5, hold <= 86_400 else { throw ValidationError("--hold is 0.5 to 86400 seconds") }
        }

        func run() async throws {
            let server = try target.start()
            defer { server.stop() }
            try await IdleConnections(connections: connections, users: users, concurrency: concurrency, hold: hold).run(on: server)
        }
    }

    struct Shape: ParsableArguments {
        @Option(help: "Rooms, all with the same members (one connection per member and room).") var rooms = 1
        @Option var members = 50
        @Option(help: "Senders per room.") var senders = 1
        @Option(help: "Another node of the same cluster for the senders to connect to (receivers stay on the first).")
        var publishTo: String?
        @Option(help: "Another node of the same cluster for every second room's connections (the others stay on the first).")
        var spreadTo: String?

        func prepare(on server: ServerUnderTest) async throws -> FanOut {
            try await FanOut.prepare(
                on: server, rooms: rooms, members: members, senders: senders, secondNode: (publishTo ?? spreadTo).map { (url: $0, sendersOnly: publishTo != nil) }
            )
        }
    }

    struct Fanout: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Rooms of members, paced senders; report deliveries/s, latency, loss.")
        @OptionGroup var target: Target
        @OptionGroup var shape: Shape
        @Option(help: "Messages per second in all; 0 sends as fast as possible.") var rate = 1000.0
        @Option var seconds = 10.0

        @Flag(help: "Run the same load on the seed stack too, alternating with fitchat, and print fitchat / seed ratios.")
        var againstSeed = false
        @Option(help: "With --against-seed: runs of each.") var runs = 3

        func run() async throws {
            if againstSeed {
                let comparison = SeedComparison(
                    rooms: shape.rooms, members: shape.members, senders: shape.senders, rate: rate, seconds: seconds, runs: runs,
                    seedPython: target.seedPython, seedApp: target.seedApp
                )
                if try await !comparison.run() { throw ExitCode(1) }
                return
            }
            let server = try target.start()
            defer { server.stop() }
            let fanOut = try await shape.prepare(on: server)
            let outcome = try await fanOut.run(rate: rate, seconds: seconds)
            await fanOut.shutdown()
            fanOut.report(outcome)
            if !outcome.complete { throw ExitCode(1) }
        }
    }

    struct Capacity: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Raise the paced rate until p99 or delivery fails; report the highest rate that passed.")
        @OptionGroup var target: Target
        @OptionGroup var shape: Shape
        @Option(help: "The first rate tried (messages/s in all); each next step is 1.5 times it.") var from = 1000.0
        @Option(help: "Seconds per step.") var seconds = 5.0
        @Option(help: "The p99 bound in milliseconds.") var p99 = 50.0
        @Option(help: "Bisection steps between the last rate that passed and the first that failed.") var bisections = 2

        func run() async throws {
            let server = try target.start()
            defer { server.stop() }
            let fanOut = try await shape.prepare(on: server)
            try await CapacitySearch(start: from, seconds: seconds, p99Bound: p99, bisections: bisections).run(fanOut)
            await fanOut.shutdown()
        }
    }

    struct CLI: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Time `fitchat send` against curl posting the same message.")
        @OptionGroup var target: Target
        @Option var runs = 20

        func run() async throws {
            guard target.target == .fitchat else { throw BenchError("cli times `fitchat send`; the seed stack has no command line") }
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
            try await IdleConnections(connections: 50, users: 5, concurrency: 20, hold: 2).run(on: server)
            let fanOut = try await FanOut.prepare(on: server, rooms: 2, members: 5, senders: 2)
            let outcome = try await fanOut.run(rate: 100, seconds: 2)
            await fanOut.shutdown()
            fanOut.report(outcome)
            try await CLIRatio(runs: 3).run(on: server)
            if !outcome.complete { throw ExitCode(1) }
        }
    }
}

extension ServerUnderTest.Kind: ExpressibleByArgument {}
