/// The part of a file a `Range: bytes=...` header asks for (RFC 9110 §14.1.2): one range,
/// `first-last`, `first-` or `-suffix`. Several ranges are served as the whole file, which
/// the RFC allows.
struct ByteRange: Equatable {
    var first: Int64
    var last: Int64

    var count: Int64 { last - first + 1 }

    /// Nil: serve the whole file. Throws `rangeNotSatisfiable` for a range outside it.
    static func parse(_ header: String?, size: Int64) throws(ServerError) -> ByteRange? {
        guard let header, header.hasPrefix("bytes="), !header.contains(",") else { return nil }
        let spec = header.dropFirst("bytes=".count).trimmingCharacters(in: .whitespaces)
        let parts = spec.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        let first = parts[0].isEmpty ? nil : Int64(parts[0])
        let last = parts[1].isEmpty ? nil : Int64(parts[1])
        switch (first, last) {
        case (nil, let suffix?) where parts[0].isEmpty:
            guard suffix > 0, size > 0 else { throw .rangeNotSatisfiable(size: size) }
            return ByteRange(first: max(0, size - suffix), last: size - 1)
        case (let first?, nil) where parts[1].isEmpty:
            guard first < size else { throw .rangeNotSatisfiable(size: size) }
            return ByteRange(first: first, last: size - 1)
        case (let first?, let last?) where first <= last:
            guard first < size else { throw .rangeNotSatisfiable(size: size) }
            return ByteRange(first: first, last: min(last, size - 1))
        default:
            // Malformed (letters, a last before the first): ignored, as the RFC says.
            return nil
        }
    }
}
