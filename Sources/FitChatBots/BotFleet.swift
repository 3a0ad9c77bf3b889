import FitChatClient
import Foundation
import UnixSignals

/// `fitchat bot serve FILE`: one supervisor for every bot a bots file lists, each run as
/// `bot run` would run it. SIGHUP or a change of the file reloads it: changed bots restarted,
/// new ones and ones that had ended started, removed ones stopped, the others untouched; a file
/// that does not parse is refused in one line and the running bots are kept.
public struct BotFleet: Sendable {
    /// Who a bot runs as: the API and profile of its account.
    public typealias Connect = @Sendable (BotAccount) throws(ClientError) -> (api: ChatAPI, store: ProfileStore)

    let file: URL
    let connect: Connect
    /// How often the file is looked at for changes.
    let pollInterval: Duration
    private let log = BotLog(name: "serve")

    public init(file: URL, pollInterval: Duration = .seconds(1), connect: @escaping Connect) {
        self.file = file
        self.pollInterval = pollInterval
        self.connect = connect
    }

    private enum Control: Sendable {
        case reload(because: String)
        case ended(name: String, generation: Int, outcome: Outcome)
        case retryDue(name: String, generation: Int)
        case shutdown
    }

    private enum Outcome: Sendable {
        case status(Int32)
        case failed(ClientError)
    }

    /// One bot of the file as the supervisor tracks it across runs and reloads.
    private struct Bot {
        var entry: BotEntry
        var generation = 0
        var running = false
        var stopRequested = false
        var stopSink: AsyncStream<Void>.Continuation?
        /// The entry to start once this run has ended: a changed entry waits for the old run,
        /// which shares its state directory and cursors.
        var next: BotEntry?
        /// Removed from the file; forgotten once its run has ended.
        var removed = false
        var backoff = RestartBackoff()
        var startedAt = ContinuousClock.now

        /// What the file asks this bot to be.
        var wanted: BotEntry? { removed ? nil : next ?? entry }
    }

    /// Runs until SIGINT or SIGTERM, then stops every bot and returns 0. A file that is invalid
    /// at start is a `.configuration` error (exit 78).
    public func run() async throws(ClientError) -> Int32 {
        signal(SIGPIPE, SIG_IGN)
        let signals = await UnixSignalsSequence(trapping: .sighup, .sigterm, .sigint)
        let initialContents = try? Data(contentsOf: file)
        let entries = try BotFile.load(file)
        let (control, controlSink) = AsyncStream.makeStream(of: Control.self)
        log.note("\(file.path): \(entries.count) bot\(entries.count == 1 ? "" : "s")")
        await withTaskGroup(of: Void.self) { group in
            defer { group.cancelAll() }
            var bots: [String: Bot] = [:]
            var generation = 0
            var shuttingDown = false

            func start(_ entry: BotEntry) {
                generation += 1
                let (stop, stopSink) = AsyncStream.makeStream(of: Void.self)
                var bot = bots[entry.name] ?? Bot(entry: entry)
                bot.entry = entry
                bot.generation = generation
                bot.running = true
                bot.stopRequested = false
                bot.stopSink = stopSink
                bot.next = nil
                bot.removed = false
                bot.startedAt = .now
                bots[entry.name] = bot
                let started = generation
                group.addTask {
                    controlSink.yield(.ended(name: entry.name, generation: started, outcome: await runBot(entry, until: stop)))
                }
            }
            func stop(_ name: String) {
                guard let bot = bots[name], bot.running, !bot.stopRequested else { return }
                bot.stopSink?.yield()
                bots[name]?.stopRequested = true
            }

            group.addTask {
                for await signal in signals {
                    controlSink.yield(signal == .sighup ? .reload(because: "SIGHUP") : .shutdown)
                }
            }
            group.addTask {
                var contents = initialContents
                while true {
                    do { try await Task.sleep(for: pollInterval) } catch { return }
                    let now = try? Data(contentsOf: file)
                    guard now != contents else { continue }
                    // An editor may write in steps: wait for the file to hold still.
                    do { try await Task.sleep(for: .milliseconds(200)) } catch { return }
                    guard (try? Data(contentsOf: file)) == now else { continue }
                    contents = now
                    controlSink.yield(.reload(because: "the file changed"))
                }
            }
            for entry in entries { start(entry) }

            for await message in control {
                switch message {
                case .reload(let reason):
                    guard !shuttingDown else { continue }
                    let wanted: [BotEntry]
                    do throws(ClientError) {
                        wanted = try BotFile.load(file)
                    } catch {
                        log.note("not reloaded (\(reason)): \(error.description); the running bots are kept")
                        continue
                    }
                    var changes: [String] = []
                    for entry in wanted {
                        guard var bot = bots[entry.name] else {
                            start(entry)
                            changes.append("started \(entry.name)")
                            continue
                        }
                        // A bot that ended or failed is started again: the file says it runs.
                        let ended = !bot.running && bot.next == nil && !bot.removed
                        guard bot.wanted != entry || ended else { continue }
                        changes.append(bot.removed || ended ? "started \(entry.name)" : "restarted \(entry.name)")
                        if bot.running {
                            bot.next = entry
                            bot.removed = false
                            bots[entry.name] = bot
                            stop(entry.name)
                        } else {
                            start(entry)
                        }
                    }
                    for (name, bot) in bots.sorted(by: { $0.key < $1.key }) where !bot.removed && !wanted.contains(where: { $0.name == name }) {
                        changes.append("stopped \(name)")
                        if bot.running {
                            bots[name]?.removed = true
                            bots[name]?.next = nil
                            stop(name)
                        } else {
                            bots[name] = nil
                        }
                    }
                    log.note("reloaded (\(reason)): \(changes.isEmpty ? "no bot changed" : changes.joined(separator: ", "))")
                case .ended(let name, let ended, let outcome):
                    guard var bot = bots[name], bot.generation == ended else { continue }
                    let onItsOwn = !bot.stopRequested
                    bot.running = false
                    bot.stopSink = nil
                    bots[name] = bot
                    if shuttingDown {
                        if !bots.values.contains(where: \.running) { return }
                        continue
                    }
                    if let next = bot.next {
                        start(next)
                        continue
                    }
                    if bot.removed {
                        bots[name] = nil
                        continue
                    }
                    guard onItsOwn else { continue }
                    switch outcome {
                    case .status(let status):
                        log.note("bot \(name) ended with status \(status); a reload starts it again")
                    case .failed(let error) where Self.isTransient(error):
                        let delay = bot.backoff.delay(afterRunning: .now - bot.startedAt)
                        bots[name] = bot
                        log.note("bot \(name): \(error.description); retrying in \(delay)")
                        group.addTask {
                            do { try await Task.sleep(for: delay) } catch { return }
                            controlSink.yield(.retryDue(name: name, generation: ended))
                        }
                    case .failed(let error):
                        log.note("bot \(name) stopped: \(error.description); a reload (SIGHUP) starts it again")
                    }
                case .retryDue(let name, let due):
                    guard !shuttingDown, let bot = bots[name], bot.generation == due, !bot.running, bot.next == nil, !bot.removed else { continue }
                    start(bot.entry)
                case .shutdown:
                    guard !shuttingDown else { continue }
                    shuttingDown = true
                    let running = bots.filter(\.value.running).keys
                    log.note("stopping \(running.count) bot\(running.count == 1 ? "" : "s")")
                    for name in running { stop(name) }
                    if running.isEmpty { return }
                }
            }
        }
        return 0
    }

    /// A failure worth trying again: the server was away, not a refused login or a bad file.
    private static func isTransient(_ error: ClientError) -> Bool {
        switch error {
        case .unreachable, .timedOut, .protocolViolation: true
        case .refused(let code, _, _): code == .rateLimited || code == .internalError
        case .notLoggedIn, .unresolved, .configuration, .usage: false
        }
    }

    /// One bot, as `bot run` runs it, until `stop` yields.
    private func runBot(_ entry: BotEntry, until stop: AsyncStream<Void>) async -> Outcome {
        let api: ChatAPI
        let store: ProfileStore
        do throws(ClientError) {
            (api, store) = try connect(entry.account)
        } catch {
            return .failed(error)
        }
        let outcome: Outcome
        do throws(ClientError) {
            outcome = .status(try await BotRunner(api: api, store: store, configuration: entry.configuration).run(until: stop))
        } catch {
            outcome = .failed(error)
        }
        await api.shutdown()
        return outcome
    }
}
