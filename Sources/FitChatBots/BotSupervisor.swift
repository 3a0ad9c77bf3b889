import FitChatClient
import FitChatProtocol
import Foundation

/// Streaming mode: one long-lived bot process, restarted by the policy with backoff, fed from
/// the inbox by a writer thread, stopped gently (stdin closed, SIGTERM, grace, SIGKILL).
struct BotSupervisor: Sendable {
    let configuration: BotConfiguration
    let environment: [String: String]
    let log: BotLog
    let inbox: BotInbox
    let rooms: MessageRooms
    /// `bot_started`, the first line every bot process reads.
    let started: String

    private struct Running {
        let process: BotProcess
        let generation: Int
    }

    func run(
        _ control: AsyncStream<BotRunner.Control>, controlSink: AsyncStream<BotRunner.Control>.Continuation,
        send: @escaping @Sendable (BotFrame) -> Void
    ) async -> BotRunner.Outcome {
        await withTaskGroup(of: Void.self) { group in
            defer { group.cancelAll() }
            var backoff = RestartBackoff()
            var stopping: BotRunner.Outcome?
            guard var running = await start(in: &group, controlSink: controlSink, send: send) else {
                return .status(RestartPolicy.configurationError)
            }
            var current: Running? = running
            for await message in control {
                switch message {
                case .exited(let exit, let generation):
                    guard generation == running.generation else { continue }
                    log.note("bot \(running.process.pid) \(exit)")
                    inbox.endGeneration()
                    current = nil
                    if let stopping { return stopping }
                    guard configuration.restart.restarts(after: exit) else { return .status(exit.status) }
                    let delay = backoff.delay(afterRunning: .now - running.process.startedAt)
                    log.note("restarting in \(delay)")
                    group.addTask {
                        do { try await Task.sleep(for: delay) } catch { return }
                        controlSink.yield(.restartDue)
                    }
                case .restartDue:
                    guard stopping == nil else { continue }
                    guard let next = await start(in: &group, controlSink: controlSink, send: send) else {
                        return .status(RestartPolicy.configurationError)
                    }
                    running = next
                    current = next
                case .shutdown, .failed:
                    let outcome: BotRunner.Outcome = if case .failed(let error) = message { .failed(error) } else { .status(0) }
                    guard stopping == nil else { continue }
                    stopping = outcome
                    guard let current else { return outcome }
                    log.note("stopping the bot")
                    inbox.endGeneration()
                    current.process.closeInput()
                    current.process.signal(SIGTERM)
                    let generation = current.generation
                    group.addTask {
                        do { try await Task.sleep(for: configuration.grace) } catch { return }
                        controlSink.yield(.graceOver(generation: generation))
                    }
                case .graceOver(let generation):
                    if let current, current.generation == generation {
                        log.note("bot \(current.process.pid) still running after \(configuration.grace): SIGKILL")
                        current.process.signal(SIGKILL)
                    }
                case .event:
                    continue
                }
            }
            return stopping ?? .status(0)
        }
    }

    /// Starts a bot process with its writer thread and output readers; nil if it cannot start.
    private func start(
        in group: inout TaskGroup<Void>, controlSink: AsyncStream<BotRunner.Control>.Continuation,
        send: @escaping @Sendable (BotFrame) -> Void
    ) async -> Running? {
        let process: BotProcess
        do {
            process = try await BotProcess.launch(configuration, environment: environment, log: log, in: &group, returning: ())
        } catch {
            log.note(error.description)
            return nil
        }
        log.note("started bot \(process.pid)")
        let generation = inbox.generation
        // The writer blocks while the bot does not read: a thread of its own, never the
        // cooperative pool. It ends with the generation, when this process ends.
        Thread.detachNewThread { [inbox, started] in
            do {
                try process.write(line: started)
                while let line = inbox.take(generation: generation) { try process.write(line: line) }
            } catch {}
        }
        group.addTask { [inbox, rooms, log] in
            _ = await BotLines.read(process.outputLines, rooms: rooms, fallbackRoom: nil, log: log, frame: send) { problem, line in
                inbox.pushUrgent(RunnerEvent.badOutput(message: problem.message, line: line).line)
            }
        }
        group.addTask {
            controlSink.yield(.exited(await process.exit(), generation: generation))
        }
        return Running(process: process, generation: generation)
    }
}
