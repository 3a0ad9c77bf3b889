@testable import FitChatServer
import FitChatProtocol
import FitChatTestSupport
import Foundation
import NIOCore
import Testing

/// `message_delivered`: one frame per room and receipt tick, naming every recipient, and only
/// to the sender's connections that joined the room.
@Suite struct DeliveryReceiptTests {
    /// Frames as a write hands them to the tracker: one carrying each note, and one without any
    /// (a frame that is no message, like `message_sent`), which records nothing.
    private func written(_ notes: [DeliveryNote]) -> PendingFrames {
        var frames = PendingFrames()
        frames.append((WireFrame(text: ByteBuffer(string: "{}")), nil))
        for note in notes { frames.append((WireFrame(text: ByteBuffer(string: "{}")), note)) }
        return frames
    }

    @Test func theTrackerBatchesPerSenderAndRoomWithEveryRecipient() {
        let tracker = DeliveryTracker()
        let ann = UserID(high: 1, low: 1), bob = UserID(high: 2, low: 2), carol = UserID(high: 3, low: 3)
        let general = RoomID(high: 10, low: 10), other = RoomID(high: 11, low: 11)
        let first = MessageID(high: 20, low: 1), second = MessageID(high: 20, low: 2), third = MessageID(high: 20, low: 3)
        tracker.record(written([DeliveryNote(roomID: general, messageID: first, senderID: ann), DeliveryNote(roomID: general, messageID: second, senderID: ann)]), recipient: bob)
        tracker.record(written([DeliveryNote(roomID: general, messageID: first, senderID: ann), DeliveryNote(roomID: other, messageID: third, senderID: ann)]), recipient: carol)
        // A user's own message reaching their other connection is no receipt.
        tracker.record(written([DeliveryNote(roomID: general, messageID: first, senderID: ann)]), recipient: ann)
        let batches = tracker.drain().sorted { $0.receipt.roomID.uuidString < $1.receipt.roomID.uuidString }
        #expect(batches == [
            .init(senderID: ann, receipt: DeliveryReceipt(roomID: general, deliveries: [.init(userID: bob, messageIDs: [first, second]), .init(userID: carol, messageIDs: [first])])),
            .init(senderID: ann, receipt: DeliveryReceipt(roomID: other, deliveries: [.init(userID: carol, messageIDs: [third])])),
        ])
        #expect(tracker.drain().isEmpty, "a drain takes everything")
    }

    @Test func receiptsReachOnlyTheSendersConnectionsInTheRoomNamingEveryRecipient() async throws {
        try await withServer { server in
            let ann = try await server.register("ann")
            let bob = try await server.register("bob")
            let carol = try await server.register("carol")
            let general = try await server.group("general", owner: ann, members: [bob, carol])
            let elsewhere = try await server.group("elsewhere", owner: ann, members: [bob])
            let sending = try await TestSocket.connect(server, as: ann)
            _ = try await sending.join(general.id)
            // The same user on another device, looking at another room.
            let otherDevice = try await TestSocket.connect(server, as: ann)
            _ = try await otherDevice.join(elsewhere.id)
            let bobSocket = try await TestSocket.connect(server, as: bob)
            _ = try await bobSocket.join(general.id)
            let carolSocket = try await TestSocket.connect(server, as: carol)
            _ = try await carolSocket.join(general.id)

            for index in 1...5 { try sending.send(.sendMessage(SendMessage(roomID: general.id, content: "hello \(index)"))) }
            var sent: [MessageID] = []
            var receipts: [DeliveryReceipt] = []
            while sent.count < 5 {
                switch try await sending.next().event {
                case .messageSent(let message): sent.append(message.id)
                case .messageDelivered(let receipt): receipts.append(receipt)
                default: continue
                }
            }
            for socket in [bobSocket, carolSocket] {
                for _ in 1...5 { _ = try await socket.next("new_message") }
            }
            func reached(_ user: UserID) -> [MessageID] {
                receipts.flatMap { $0.deliveries.filter { $0.userID == user }.flatMap(\.messageIDs) }
            }
            while reached(bob.id).count < 5 || reached(carol.id).count < 5 {
                guard case .messageDelivered(let receipt) = try await sending.next("message_delivered").event else { continue }
                receipts.append(receipt)
            }
            #expect(reached(bob.id) == sent && reached(carol.id) == sent, "each message reached each recipient once, in order")
            #expect(receipts.allSatisfy { $0.roomID == general.id && Set($0.deliveries.map(\.userID)).count == $0.deliveries.count })
            #expect(receipts.contains { Set($0.deliveries.map(\.userID)) == [bob.id, carol.id] }, "one frame names both recipients: \(receipts)")
            #expect(receipts.count <= 5, "batched, not one frame per message and recipient: \(receipts.count)")

            // The receipts went out to both of ann's connections at once, if at all: a tick later
            // the other device has still seen none.
            try await Task.sleep(for: .milliseconds(200))
            let seenElsewhere = try await otherDevice.drain()
            #expect(!seenElsewhere.contains { $0.event.type == "message_delivered" }, "\(seenElsewhere)")
            for socket in [sending, otherDevice, bobSocket, carolSocket] { await socket.close() }
        }
    }
}
