import Foundation
import Testing

@testable import FitChatServer

@Suite struct ValidationTests {
    /// The rule as it reads: controls out (newline and tab kept), whitespace trimmed, by
    /// Unicode properties alone. The byte-level shortcuts must never disagree with it.
    private static func reference(_ raw: String) -> String {
        let kept = raw.unicodeScalars.filter { $0.properties.generalCategory != .control || $0 == "\n" || $0 == "\t" }
        return String(String.UnicodeScalarView(kept)).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Scalars near every edge the shortcuts look at: C0 and C1 controls, DEL, ASCII and
    /// Unicode spaces, NEL, combining marks, multi-byte letters and emoji.
    private static let alphabet: [Unicode.Scalar] = {
        var scalars: [Unicode.Scalar] = ["a", "Z", "0", " ", "\n", "\t", "\r", "\u{0B}", "\u{0C}", "\"", "\\", "/", "é", "日", "🎉", "\u{301}"]
        scalars += [0x00, 0x01, 0x1F, 0x7F, 0x80, 0x85, 0x9F, 0xA0, 0xC2, 0x2000, 0x200B, 0x2028, 0x3000, 0xFEFF].compactMap(Unicode.Scalar.init)
        return scalars
    }()

    @Test func contentMatchesTheRuleOnAwkwardText() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let length = Int.random(in: 0...8, using: &generator)
            var scalars = String.UnicodeScalarView()
            for _ in 0..<length { scalars.append(Self.alphabet.randomElement(using: &generator) ?? "a") }
            let raw = String(scalars)
            let expected = Self.reference(raw)
            let actual = try? Validation.content(raw, maxLength: 5)
            let allowed = !expected.isEmpty && expected.unicodeScalars.count <= 5
            #expect(actual == (allowed ? expected : nil), "\(raw.unicodeScalars.map { String($0.value, radix: 16) })")
        }
    }

    @Test func plainTextComesBackAsItIs() throws {
        #expect(try Validation.content("backup done", maxLength: 100) == "backup done")
        #expect(try Validation.content("  two\nlines\t ", maxLength: 100) == "two\nlines")
        #expect(try Validation.content("a\u{85}b\u{9F}c\u{7F}", maxLength: 100) == "abc")
        #expect((try? Validation.content("\u{A0}\u{3000}", maxLength: 100)) == nil)
        #expect((try? Validation.content("123456", maxLength: 5)) == nil)
    }
}
