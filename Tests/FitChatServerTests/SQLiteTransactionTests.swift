import FitChatTestSupport
import Foundation
import GRDB
import Testing

@testable import FitChatServer

/// The commit path begins and commits its transactions with cached statements instead of
/// GRDB's `write`: a failure must still roll back everything and leave the writer usable.
@Suite struct SQLiteTransactionTests {
    private struct Refused: Error {}

    @Test func aFailedTransactionLeavesNothingAndTheNextOneCommits() throws {
        let store = try SQLiteChatStore(path: TestServer.makeDirectory().appendingPathComponent("tx.sqlite").path)
        try store.pool.write { db in try db.execute(sql: "CREATE TABLE probe (x INTEGER)") }
        #expect(throws: Refused.self) {
            try store.pool.writeWithoutTransaction { db in
                try SQLiteChatStore.inCachedTransaction(db) {
                    try db.execute(sql: "INSERT INTO probe VALUES (1)")
                    throw Refused()
                }
            }
        }
        let inserted = try store.pool.writeWithoutTransaction { db in
            try SQLiteChatStore.inCachedTransaction(db) {
                try db.execute(sql: "INSERT INTO probe VALUES (2)")
                return db.isInsideTransaction
            }
        }
        #expect(inserted)
        #expect(try store.pool.read { db in try Int.fetchAll(db, sql: "SELECT x FROM probe") } == [2])
        #expect(store.pool.writeWithoutTransaction { db in db.isInsideTransaction } == false)
    }
}
