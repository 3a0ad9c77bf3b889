/// Where a node has read the outbox up to: the writing transaction's id, then the row's id.
///
/// Outbox ids come from a sequence, so a transaction that commits late can leave a row below
/// ids already read. A reader therefore takes only rows of transactions older than the oldest
/// one still running (the snapshot's `xmin`): none of those can add a row any more, so a
/// position that only moves forward over them never skips one, and writers need no lock.
/// Transaction ids follow the order transactions began writing, not the order they
/// committed; entries of one room can arrive out of `seq` order, which subscribers absorb
/// (`ClientConnection` holds entries past a gap until the missing ones come).
struct OutboxPosition: Sendable, Equatable {
    var transaction: Int64
    var row: Int64

    /// The oldest transaction still running, or the next one to start when none is: every row
    /// of a transaction below it is committed (and visible) or rolled back.
    static let horizon = "pg_snapshot_xmin(pg_current_snapshot())::text::bigint"
}
