import ServiceLifecycle

/// Runs the jobs of WebSocket sessions (serving the frames a client sent) as children of one
/// long-lived task group. A session has a job only while it has frames to serve, so an idle
/// connection needs no task of its own; shutdown waits for the jobs in flight.
final class SessionWorkers: Service {
    typealias Job = @Sendable () async -> Void

    private let jobs: AsyncStream<Job>
    private let submission: AsyncStream<Job>.Continuation

    init() {
        (jobs, submission) = AsyncStream.makeStream(of: Job.self)
    }

    func submit(_ job: @escaping Job) {
        submission.yield(job)
    }

    /// Graceful shutdown ends the stream rather than wrapping it in `cancelOnGracefulShutdown()`,
    /// whose merge costs every job an extra task hop (BENCHMARKS.md).
    func run() async {
        await withDiscardingTaskGroup { group in
            await withGracefulShutdownHandler {
                for await job in jobs {
                    group.addTask(operation: job)
                }
            } onGracefulShutdown: {
                self.submission.finish()
            }
        }
    }
}
