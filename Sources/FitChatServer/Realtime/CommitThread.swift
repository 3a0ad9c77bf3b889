import NIOCore
import NIOPosix

/// One thread that group commits run on, as a task executor. SQLite's transaction then runs
/// where the pipeline's loop runs, with no hop to GRDB's writer queue and back: each hop is a
/// thread wake-up, and at 1,000 commits a second the wake-ups cost more than the commits.
final class CommitThread: TaskExecutor {
    private let group: MultiThreadedEventLoopGroup
    private let loop: any EventLoop

    init() {
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        loop = group.next()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }

    /// Runs `body` on the thread at `deadline` (or at once if it has passed).
    func run(at deadline: ContinuousClock.Instant, _ body: @escaping @Sendable () -> Void) {
        loop.scheduleTask(in: TimeAmount(max(deadline - .now, .zero))) { body() }
    }

    /// Ends the thread once the jobs already queued ran.
    func shutdown() async {
        try? await group.shutdownGracefully()
    }
}
