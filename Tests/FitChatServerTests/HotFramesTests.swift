import FitChatProtocol
import Foundation
import NIOCore
import Testing

@testable import FitChatServer

/// The hand-written frames are byte for byte what Foundation's encoder writes for the same
/// event, and decode back to it.
@Suite struct HotFramesTests {
    private let encoder = WireCoding.makeEncoder()

    /// Content that exercises every escape: quotes, backslashes, slashes, all control
    /// characters, DEL, non-ASCII, emoji and combining marks.
    private static let awkwardTexts: [String] = {
        var texts = ["", "plain", #"a "quoted" \ back\slash / and // slashes"#, "ünïcødé 日本語 🎉👩‍👩‍👧 e\u{301}", "\u{7F}\u{2028}\u{2029}\u{FEFF}"]
        texts.append(String(decoding: (0..<0x20).map { UInt8($0) }, as: UTF8.self))
        texts.append((0..<0x20).map { "x\(Character(Unicode.Scalar(UInt8($0))))y" }.joined())
        return texts
    }()

    private func foundationBytes(_ event: ServerEvent, id: String?) throws -> [UInt8] {
        Array(try encoder.encode(ServerEnvelope(event, id: id)))
    }

    private func handWritten(_ event: ServerEvent, id: String?) throws -> [UInt8] {
        let buffer = try #require(HotFrames.encode(event, id: id))
        return Array(buffer.readableBytesView)
    }

    private func message(content: String, generator: inout some RandomNumberGenerator) -> ChatMessage {
        ChatMessage(
            id: .random(), roomID: .random(), senderID: .random(), content: content,
            createdAt: Date(timeIntervalSince1970: Double(Int64.random(in: 0...4_102_444_800_000, using: &generator)) / 1000),
            seq: Int64.random(in: 1...Int64.max, using: &generator), senderUsername: Bool.random(using: &generator) ? "ann" : "b\"o/b\\ 🎉",
            messageType: ["text", "image", "file"].randomElement(using: &generator) ?? "text",
            replyToID: Bool.random(using: &generator) ? .random() : nil,
            clientMessageID: Bool.random(using: &generator) ? "c-\(content)" : nil,
            editedAt: Bool.random(using: &generator) ? Date(timeIntervalSince1970: 1_700_000_000.123) : nil,
            deleted: [nil, true, false].randomElement(using: &generator) ?? nil
        )
    }

    @Test func messagesAreTheEncodersBytes() throws {
        var generator = SystemRandomNumberGenerator()
        for content in Self.awkwardTexts {
            for _ in 0..<50 {
                let message = message(content: content, generator: &generator)
                for event in [ServerEvent.newMessage(message), .messageSent(message)] {
                    for id in [nil, "req-1", "a\"b\n/"] {
                        let expected = try foundationBytes(event, id: id)
                        let written = try handWritten(event, id: id)
                        // Compared as bytes (a String compares canonical equivalents equal), shown as text.
                        #expect(Data(written) == Data(expected), "\(String(decoding: written, as: UTF8.self))")
                        let decoded = try WireCoding.makeDecoder().decode(ServerEnvelope.self, from: Data(written))
                        #expect(decoded == ServerEnvelope(event, id: id))
                    }
                }
            }
        }
    }

    @Test func deliveryReceiptsAreTheEncodersBytes() throws {
        for recipients in [0, 1, 3] {
            for messages in [0, 1, 5] {
                let receipt = DeliveryReceipt(
                    roomID: .random(),
                    deliveries: (0..<recipients).map { _ in .init(userID: .random(), messageIDs: (0..<messages).map { _ in .random() }) }
                )
                let event = ServerEvent.messageDelivered(receipt)
                let written = try handWritten(event, id: nil)
                #expect(Data(written) == Data(try foundationBytes(event, id: nil)), "\(String(decoding: written, as: UTF8.self))")
            }
        }
    }

    /// A message with reactions or a file goes through the encoder.
    @Test func otherShapesAreLeftToTheEncoder() {
        var generator = SystemRandomNumberGenerator()
        var reacted = message(content: "hi", generator: &generator)
        reacted.reactions = [ReactionCount(emoji: "👍", userIDs: [.random()])]
        #expect(HotFrames.encode(.newMessage(reacted), id: nil) == nil)
        #expect(HotFrames.encode(.pong(Heartbeat(timestamp: .integer(1))), id: nil) == nil)
        let encoded = FrameEncoder().encode(.newMessage(reacted))
        #expect((try? WireCoding.makeDecoder().decode(ServerEnvelope.self, from: Data(encoded.readableBytesView))) == ServerEnvelope(.newMessage(reacted)))
    }
}
