import Logging
import ServiceLifecycle

/// Removes uploaded files that no message came to refer to (and uploads cut off halfway),
/// every `interval`. On several nodes each sweeps; deleting twice is harmless.
struct AttachmentSweeper: Service {
    let interval: Duration
    let sweep: @Sendable () async throws -> Int
    let logger: Logger

    func run() async {
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            // The wait ends with the server: shutdown never waits out a sweep interval.
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return
            }
            do {
                let removed = try await sweep()
                if removed > 0 { logger.info("removed unsent attachments", metadata: ["count": "\(removed)"]) }
            } catch {
                logger.warning("sweeping unsent attachments failed", metadata: ["error": "\(error)"])
            }
        }
    }
}
