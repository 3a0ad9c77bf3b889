import FitChatProtocol
import Foundation

/// `bot test` takes recordings as written, hand-made ones too, whose ids need not be UUIDs
/// (`"room_id": "r1"`). Each such id stands in for a UUID while the bot's frames are checked as
/// the server would check them, and is written back as it was in what `bot test` prints, so a
/// bot that copies the ids it was given passes, and one that makes ids up does not.
struct RecordedIDs: Sendable {
    /// Recorded non-UUID id → the UUID it stands for during the check.
    private let standIns: [String: ChatID]
    private let originals: [String: String]

    init(recording lines: [String]) {
        var names: [String] = []
        for line in lines {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) else { continue }
            Self.visitIDs(in: object) { text in
                if ChatID(text) == nil, !names.contains(text) { names.append(text) }
                return text
            }
        }
        var standIns: [String: ChatID] = [:]
        for (index, name) in names.enumerated() { standIns[name] = ChatID(high: 0, low: UInt64(index + 1)) }
        self.standIns = standIns
        originals = Dictionary(uniqueKeysWithValues: standIns.map { ($0.value.uuidString, $0.key) })
    }

    var isEmpty: Bool { standIns.isEmpty }

    /// An id as the check sees it: a UUID, or the UUID a recorded name stands for.
    func id(_ value: Any?) -> ChatID? {
        guard let text = value as? String else { return nil }
        return ChatID(text) ?? standIns[text]
    }

    /// A bot's line with recorded names replaced by their UUIDs, for the check.
    func toWire(_ line: String) -> String {
        guard !isEmpty, let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) else { return line }
        let replaced = Self.visitIDs(in: object) { standIns[$0]?.uuidString ?? $0 }
        guard let data = try? JSONSerialization.data(withJSONObject: replaced, options: [.withoutEscapingSlashes]) else { return line }
        return String(decoding: data, as: UTF8.self)
    }

    /// A checked frame, as JSON, with the recorded names back in place of their UUIDs.
    func fromWire(_ json: String) -> String {
        guard !isEmpty else { return json }
        var result = json
        for (uuid, name) in originals {
            guard let quoted = try? JSONSerialization.data(withJSONObject: name, options: [.fragmentsAllowed, .withoutEscapingSlashes]) else { continue }
            result = result.replacingOccurrences(of: "\"\(uuid)\"", with: String(decoding: quoted, as: UTF8.self))
        }
        return result
    }

    /// Rewrites every id-like string (under `id`, `*_id`, `*_ids`, and the reply shorthand's `to`).
    private static func visitIDs(in value: Any, key: String? = nil, _ transform: (String) -> String) -> Any {
        switch value {
        case let object as [String: Any]:
            return object.reduce(into: [String: Any]()) { result, entry in
                result[entry.key] = visitIDs(in: entry.value, key: entry.key, transform)
            }
        case let array as [Any]:
            return array.map { visitIDs(in: $0, key: key, transform) }
        case let text as String:
            guard let key, key == "id" || key == "to" || key.hasSuffix("_id") || key.hasSuffix("_ids") else { return text }
            return transform(text)
        default:
            return value
        }
    }
}
