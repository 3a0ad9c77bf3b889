/// The start of an id as a person types it, git-style: at least four hex digits, hyphens
/// anywhere or nowhere, any letter case. Every id that begins with it lies in
/// `lowerBound...upperBound`, which is how stores find them with one index range.
public struct ChatIDPrefix: Sendable, Hashable, CustomStringConvertible {
    /// The fewest hex digits a prefix may have.
    public static let minimumDigits = 4

    /// The hex digits, lowercase, without hyphens.
    public let digits: String
    public let lowerBound: ChatID
    public let upperBound: ChatID

    public init?(_ text: some StringProtocol) {
        var digits = ""
        var nibbles: [UInt8] = []
        for byte in text.utf8 {
            if byte == UInt8(ascii: "-") { continue }
            guard let nibble = ChatID.nibble(byte), nibbles.count < 32 else { return nil }
            nibbles.append(nibble)
        }
        guard nibbles.count >= Self.minimumDigits else { return nil }
        var low = (high: UInt64(0), low: UInt64(0))
        var high = (high: UInt64(0), low: UInt64(0))
        for index in 0..<32 {
            let nibble = index < nibbles.count ? UInt64(nibbles[index]) : nil
            let (least, most) = (nibble ?? 0, nibble ?? 0xF)
            if index < 16 {
                low.high = low.high << 4 | least
                high.high = high.high << 4 | most
            } else {
                low.low = low.low << 4 | least
                high.low = high.low << 4 | most
            }
        }
        for nibble in nibbles { digits.append(Character(Unicode.Scalar(nibble < 10 ? nibble + 48 : nibble + 87))) }
        self.digits = digits
        lowerBound = ChatID(high: low.high, low: low.low)
        upperBound = ChatID(high: high.high, low: high.low)
    }

    /// Whether `id` begins with this prefix.
    public func matches(_ id: ChatID) -> Bool {
        lowerBound <= id && id <= upperBound
    }

    /// Whether the prefix is a whole id.
    public var isComplete: Bool { digits.utf8.count == 32 }

    public var description: String { digits }
}

extension ChatID {
    /// The shortest beginning of each id (at least `minimum` characters of the canonical form)
    /// that no other id of `ids` shares: what human output shows so that it can be pasted back.
    public static func shortPrefixes(of ids: some Sequence<ChatID>, minimum: Int = 8) -> [ChatID: String] {
        let sorted = Array(Set(ids)).sorted()
        var result: [ChatID: String] = [:]
        for (index, id) in sorted.enumerated() {
            let text = Array(id.uuidString.utf8)
            var length = minimum
            for neighbour in [index > 0 ? sorted[index - 1] : nil, index + 1 < sorted.count ? sorted[index + 1] : nil] {
                guard let neighbour else { continue }
                let other = Array(neighbour.uuidString.utf8)
                var shared = 0
                while shared < text.count, text[shared] == other[shared] { shared += 1 }
                length = max(length, shared + 1)
            }
            // Never end on a hyphen: the next digit is what tells the ids apart.
            if length < text.count, text[length - 1] == UInt8(ascii: "-") { length += 1 }
            result[id] = String(decoding: text.prefix(min(length, text.count)), as: UTF8.self)
        }
        return result
    }
}
