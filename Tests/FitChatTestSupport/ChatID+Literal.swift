import FitChatProtocol

/// Unit tests that need distinct ids but no server write them as small numbers: `1` is
/// `00000000-0000-0000-0000-000000000001`. Never used where a server made the id.
extension ChatID: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: UInt64) {
        self.init(high: 0, low: value)
    }
}
