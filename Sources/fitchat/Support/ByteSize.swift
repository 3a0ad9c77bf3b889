import ArgumentParser
import Foundation

/// A size as people write it on a command line: `25M`, `100MiB`, `512k`, `1G`, or bytes.
struct ByteSize: ExpressibleByArgument, Equatable {
    let bytes: Int64

    init(bytes: Int64) {
        self.bytes = bytes
    }

    init?(argument: String) {
        let text = argument.trimmingCharacters(in: .whitespaces).lowercased()
        let digits = text.prefix { $0.isNumber }
        let unit = text.dropFirst(digits.count)
        let shift: Int64? = switch unit {
        case "", "b": 0
        case "k", "kb", "kib": 10
        case "m", "mb", "mib": 20
        case "g", "gb", "gib": 30
        default: nil
        }
        guard let shift, let value = Int64(digits), value >= 0, value <= Int64.max >> shift else { return nil }
        bytes = value << shift
    }

    var defaultValueDescription: String { bytes % (1 << 20) == 0 ? "\(bytes >> 20)M" : "\(bytes)" }
}
