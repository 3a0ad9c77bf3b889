import Foundation

/// libFuzzer's entry point (`scripts/fuzz`, built with `-sanitize=fuzzer`): every input is tried
/// as a client frame, as each REST request body and as the texts ids and times are parsed from.
/// Beyond not crashing: a frame that parses encodes to one that parses back the same.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let data = Data(bytes: start, count: count)
    let decoder = WireCoding.makeDecoder()
    if case .success(let envelope) = ClientEnvelope.parse(data, decoder: decoder) {
        guard let encoded = try? WireCoding.makeEncoder().encode(envelope) else { fatalError("a parsed frame does not encode: \(envelope)") }
        let again = ClientEnvelope.parse(encoded, decoder: decoder)
        guard case .success(let reparsed) = again, reparsed == envelope else {
            fatalError("a parsed frame does not survive a round trip: \(envelope) -> \(String(decoding: encoded, as: UTF8.self)) -> \(again)")
        }
    }
    let bodies: [any Decodable.Type] = [
        RegisterRequest.self, LoginRequest.self, UserReference.self, CreateRoomRequest.self, RenameRoomRequest.self,
        AddParticipantsRequest.self, PostMessageRequest.self, MarkReadRequest.self,
    ]
    for body in bodies { _ = try? decoder.decode(body, from: data) }
    let text = String(decoding: data, as: UTF8.self)
    _ = ChatID(text)
    _ = ChatIDPrefix(text)
    _ = RFC3339.date(from: text)
    return 0
}
