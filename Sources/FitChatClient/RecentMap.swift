/// A dictionary that keeps the `capacity` most recently added keys, forgetting the earliest
/// first: what a client remembers about the messages it saw (ids are random, so they cannot
/// tell which is older; the order they were added in does).
public struct RecentMap<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    public let capacity: Int
    private var values: [Key: Value] = [:]
    private var order: [Key] = []
    private var head = 0

    public init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    public var count: Int { values.count }

    public subscript(key: Key) -> Value? {
        get { values[key] }
        set {
            guard let newValue else {
                values[key] = nil
                return
            }
            if values.updateValue(newValue, forKey: key) != nil { return }
            order.append(key)
            while values.count > capacity, head < order.count {
                values[order[head]] = nil
                head += 1
            }
            if head >= capacity {
                order.removeFirst(head)
                head = 0
            }
        }
    }
}
