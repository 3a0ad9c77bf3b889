import Foundation

/// Users, rooms, messages and friend requests are named by these: UUIDs the server makes,
/// written lowercase and hyphenated on the wire, which is how the seed's clients decode ids.
///
/// New ids are random (version 4), not time-ordered (version 7): a version 7 id begins with
/// its creation millisecond, so every id made in the same minute shares its first eight
/// characters and the short prefixes people paste (`--reply-to 3f9a1c2e`, as git takes short
/// hashes) would stop naming anything. The stores keep rows in insertion order by other keys
/// (`rooms`' and `messages`' integer row keys, `(room_id, seq)`), so only the id index itself
/// is written in random order.
public struct ChatID: Sendable, Hashable, Comparable {
    /// The first eight bytes, big-endian: `high` and `low` compare as the bytes and the text do.
    public let high: UInt64
    /// The last eight bytes, big-endian.
    public let low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// A fresh random (version 4, RFC 9562 variant) id.
    public static func random() -> ChatID {
        var generator = SystemRandomNumberGenerator()
        let high = (generator.next() as UInt64) & ~0xF000 | 0x4000
        let low = (generator.next() as UInt64) & ~(0b11 << 62) | (0b10 << 62)
        return ChatID(high: high, low: low)
    }

    /// Parses the hyphenated form (`8-4-4-4-12` hex digits) in any letter case; nil otherwise.
    public init?(_ text: some StringProtocol) {
        var high: UInt64 = 0
        var low: UInt64 = 0
        var digits = 0
        var count = 0
        for byte in text.utf8 {
            count += 1
            guard count <= 36 else { return nil }
            if count == 9 || count == 14 || count == 19 || count == 24 {
                guard byte == UInt8(ascii: "-") else { return nil }
                continue
            }
            guard let nibble = Self.nibble(byte) else { return nil }
            if digits < 16 { high = high << 4 | UInt64(nibble) } else { low = low << 4 | UInt64(nibble) }
            digits += 1
        }
        guard count == 36 else { return nil }
        self.init(high: high, low: low)
    }

    public init(uuid: UUID) {
        let bytes = uuid.uuid
        self.init(
            high: [bytes.0, bytes.1, bytes.2, bytes.3, bytes.4, bytes.5, bytes.6, bytes.7].reduce(0) { $0 << 8 | UInt64($1) },
            low: [bytes.8, bytes.9, bytes.10, bytes.11, bytes.12, bytes.13, bytes.14, bytes.15].reduce(0) { $0 << 8 | UInt64($1) }
        )
    }

    public var uuid: UUID {
        func byte(_ word: UInt64, _ index: Int) -> UInt8 { UInt8(truncatingIfNeeded: word >> (56 - 8 * index)) }
        return UUID(uuid: (
            byte(high, 0), byte(high, 1), byte(high, 2), byte(high, 3), byte(high, 4), byte(high, 5), byte(high, 6), byte(high, 7),
            byte(low, 0), byte(low, 1), byte(low, 2), byte(low, 3), byte(low, 4), byte(low, 5), byte(low, 6), byte(low, 7)
        ))
    }

    /// The sixteen bytes, for storage as a BLOB.
    public var bytes: [UInt8] {
        (0..<16).map { index in
            let word = index < 8 ? high : low
            return UInt8(truncatingIfNeeded: word >> (56 - 8 * (index % 8)))
        }
    }

    /// From sixteen stored bytes; nil for any other length.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 16 else { return nil }
        var high: UInt64 = 0
        var low: UInt64 = 0
        var index = 0
        for byte in bytes {
            if index < 8 { high = high << 8 | UInt64(byte) } else { low = low << 8 | UInt64(byte) }
            index += 1
        }
        self.init(high: high, low: low)
    }

    /// The canonical form: lowercase, hyphenated, 36 characters.
    public var uuidString: String {
        String(unsafeUninitializedCapacity: Self.textLength) { buffer in
            writeText(into: UnsafeMutableRawBufferPointer(buffer))
            return Self.textLength
        }
    }

    /// The length of the hyphenated form.
    public static let textLength = 36

    /// Writes the hyphenated form into the first `textLength` bytes of `buffer`, for writers
    /// that put ids straight into a frame without making a `String` of each.
    /// A byte at a time, both of its digits in one store: a receipt frame names a message id
    /// for every recipient, so this runs dozens of times per message sent.
    public func writeText(into buffer: UnsafeMutableRawBufferPointer) {
        precondition(buffer.count >= Self.textLength, "a ChatID takes \(Self.textLength) bytes")
        Self.hexPairs.withUnsafeBufferPointer { pairs in
            var offset = 0
            for index in 0..<16 {
                if index == 4 || index == 6 || index == 8 || index == 10 {
                    buffer.storeBytes(of: UInt8(ascii: "-"), toByteOffset: offset, as: UInt8.self)
                    offset += 1
                }
                let word = index < 8 ? high : low
                let byte = Int(truncatingIfNeeded: word >> (56 - 8 * (index % 8))) & 0xFF
                buffer.storeBytes(of: pairs[byte].littleEndian, toByteOffset: offset, as: UInt16.self)
                offset += 2
            }
        }
    }

    /// The two lowercase hex digits of every byte value, the first in the low byte (stored
    /// little-endian, it comes first in memory).
    private static let hexPairs: [UInt16] = (0..<256).map { byte in
        let digits = Array("0123456789abcdef".utf8)
        return UInt16(digits[byte >> 4]) | UInt16(digits[byte & 0xF]) << 8
    }

    public static func < (lhs: ChatID, rhs: ChatID) -> Bool {
        (lhs.high, lhs.low) < (rhs.high, rhs.low)
    }

    static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

extension ChatID: CustomStringConvertible, LosslessStringConvertible {
    public var description: String { uuidString }

    public init?(_ description: String) {
        self.init(description[...])
    }
}

extension ChatID: Codable {
    /// Anything but a well-formed UUID string fails with a message that names what is expected,
    /// which `DecodingError.fieldProblem` turns into `room_id must be a UUID string`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        guard let text = try? container.decode(String.self) else {
            throw DecodingError.typeMismatch(ChatID.self, .init(codingPath: decoder.codingPath, debugDescription: "expected a UUID string"))
        }
        guard let id = ChatID(text[...]) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "must be a UUID string")
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(uuidString)
    }
}
