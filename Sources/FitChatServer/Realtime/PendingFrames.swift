/// The frames a connection queued for its next write, in order. A fan-out wakes a connection's
/// loop for every message, so a write nearly always carries one frame: the first is kept
/// inline, and only a second one makes an array (which a frame per recipient per message was
/// a third of what queueing a delivery cost).
struct PendingFrames: Sequence, Sendable {
    typealias Element = (frame: WireFrame, delivery: DeliveryNote?)

    private var first: Element?
    private var rest: [Element] = []

    var isEmpty: Bool { first == nil }
    var count: Int { first == nil ? 0 : 1 + rest.count }

    mutating func append(_ item: Element) {
        if first == nil { first = item } else { rest.append(item) }
    }

    /// Everything queued, leaving nothing behind (not even an array's buffer).
    mutating func takeAll() -> PendingFrames {
        defer { self = PendingFrames() }
        return self
    }

    func makeIterator() -> Iterator {
        Iterator(first: first, rest: rest.makeIterator())
    }

    struct Iterator: IteratorProtocol {
        fileprivate var first: Element?
        fileprivate var rest: IndexingIterator<[Element]>

        mutating func next() -> Element? {
            if let item = first {
                first = nil
                return item
            }
            return rest.next()
        }
    }
}
