import NIOCore

/// Where a connection's frames leave, on its event loop: its WebSocket handler, which writes
/// them from its own place in the pipeline rather than from the channel's tail (one pass
/// through the pipeline per recipient of every message).
protocol FrameOutput: AnyObject {
    /// Writes the frames and flushes. Returns nil once the socket took all of them (or the
    /// connection takes no more frames, which drops them), else a future that completes when
    /// it has.
    func write(_ frames: PendingFrames) -> EventLoopFuture<Void>?
}
