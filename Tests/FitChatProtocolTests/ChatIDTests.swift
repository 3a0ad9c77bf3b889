import FitChatProtocol
import Foundation
import Testing

@Suite struct ChatIDTests {
    @Test func parsesTheHyphenatedFormInAnyCaseAndWritesLowercase() throws {
        let id = try #require(ChatID("0192F1C3-7B1E-4C3A-9F00-5D2E8A1B4C6D"))
        #expect(id.uuidString == "0192f1c3-7b1e-4c3a-9f00-5d2e8a1b4c6d")
        #expect(id == ChatID("0192f1c3-7b1e-4c3a-9f00-5d2e8a1b4c6d"))
        for bad in ["", "0192f1c3", "0192f1c37b1e4c3a9f005d2e8a1b4c6d", "0192f1c3-7b1e-4c3a-9f00-5d2e8a1b4c6", "0192f1c3-7b1e-4c3a-9f00-5d2e8a1b4c6dd",
                    "0192f1c3_7b1e-4c3a-9f00-5d2e8a1b4c6d", "g192f1c3-7b1e-4c3a-9f00-5d2e8a1b4c6d", "7", "r1"] {
            #expect(ChatID(bad) == nil, "\(bad)")
        }
    }

    @Test func agreesWithFoundationsUUIDAndItsBytes() throws {
        for _ in 0..<200 {
            let uuid = UUID()
            let id = ChatID(uuid: uuid)
            #expect(id.uuidString == uuid.uuidString.lowercased())
            #expect(id.uuid == uuid)
            #expect(ChatID(bytes: id.bytes) == id)
            #expect(ChatID(id.uuidString.uppercased()) == id)
        }
        #expect(ChatID(bytes: [1, 2, 3]) == nil)
    }

    @Test func newIdsAreRandomVersion4() throws {
        var seen = Set<ChatID>()
        for _ in 0..<1000 {
            let id = ChatID.random()
            let text = Array(id.uuidString)
            #expect(text[14] == "4", "version nibble of \(id)")
            #expect("89ab".contains(text[19]), "variant of \(id)")
            seen.insert(id)
        }
        #expect(seen.count == 1000)
    }

    @Test func ordersAsItsBytesAndItsText() {
        let ids = (0..<300).map { _ in ChatID.random() }
        #expect(ids.sorted().map(\.uuidString) == ids.map(\.uuidString).sorted())
    }

    @Test func prefixesAreHexDigitsWithOrWithoutHyphens() throws {
        let id = try #require(ChatID("0192f1c3-7b1e-4c3a-9f00-5d2e8a1b4c6d"))
        for text in ["0192", "0192F1C3", "0192f1c3-7b", "0192f1c37b", "0192f1c3-7b1e-4c3a-9f00-5d2e8a1b4c6d"] {
            let prefix = try #require(ChatIDPrefix(text), "\(text)")
            #expect(prefix.matches(id), "\(text)")
        }
        #expect(try #require(ChatIDPrefix("0192f1c3-7b")).digits == "0192f1c37b")
        #expect(try #require(ChatIDPrefix("0192f1c3-7b1e-4c3a-9f00-5d2e8a1b4c6d")).isComplete)
        #expect(ChatIDPrefix("0192f1c3-7b1f")?.matches(id) == false)
        #expect(ChatIDPrefix("0193")?.matches(id) == false)
        for bad in ["019", "01-9", "0192x", "general", "0192f1c3-7b1e-4c3a-9f00-5d2e8a1b4c6d0"] {
            #expect(ChatIDPrefix(bad) == nil, "\(bad)")
        }
        let range = try #require(ChatIDPrefix("abc12"))
        #expect(range.lowerBound.uuidString == "abc12000-0000-0000-0000-000000000000")
        #expect(range.upperBound.uuidString == "abc12fff-ffff-ffff-ffff-ffffffffffff")
    }

    @Test func shortPrefixesAreUniqueAndAtLeastEightCharacters() throws {
        let a = try #require(ChatID("3f9a1c2e-7b1e-4c3a-9f00-5d2e8a1b4c6d"))
        let b = try #require(ChatID("3f9a1c2e-7b2f-4c3a-9f00-5d2e8a1b4c6d"))
        let c = try #require(ChatID("3f9a1c2f-0000-4c3a-9f00-5d2e8a1b4c6d"))
        let d = try #require(ChatID("a0000000-0000-4000-8000-000000000000"))
        let short = ChatID.shortPrefixes(of: [a, b, c, d, a])
        #expect(short[a] == "3f9a1c2e-7b1")
        #expect(short[b] == "3f9a1c2e-7b2")
        #expect(short[c] == "3f9a1c2f")
        #expect(short[d] == "a0000000")
        // Sharing exactly eight characters: the ninth is a hyphen, so one more digit is shown.
        let e = try #require(ChatID("3f9a1c2e-8000-4000-8000-000000000000"))
        #expect(ChatID.shortPrefixes(of: [a, e])[a] == "3f9a1c2e-7")
        for (id, prefix) in short {
            let matching = [a, b, c, d].filter { ChatIDPrefix(prefix)?.matches($0) == true }
            #expect(matching == [id])
        }
    }

    @Test func decodingNamesWhatIsExpected() throws {
        struct Holder: Decodable { var room_id: ChatID }
        let decoder = WireCoding.makeDecoder()
        for bad in [#"{"room_id":"nope"}"#, #"{"room_id":12}"#, #"{"room_id":null}"#] {
            do {
                _ = try decoder.decode(Holder.self, from: Data(bad.utf8))
                Issue.record("decoded \(bad)")
            } catch let error as DecodingError {
                #expect(error.fieldProblem.hasPrefix("room_id must be a UUID string"), "\(bad): \(error.fieldProblem)")
            }
        }
    }
}
