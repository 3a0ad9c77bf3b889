import FitChatProtocol

/// When to send typing frames while a line is edited: `typing_start` on the first key and again
/// every 2 s of editing (the server forgets after 3 s), `typing_stop` when the line is cleared
/// or the room changes. A sent message ends typing on the server by itself.
struct TypingThrottle {
    static let refresh: Duration = .seconds(2)

    private(set) var typingIn: RoomID?
    private var lastStart: ContinuousClock.Instant?

    /// The frames to send now that the line reads `line` in `room`.
    mutating func edited(_ line: String, in room: RoomID?, at now: ContinuousClock.Instant) -> [ClientFrame] {
        let composing = !line.trimmingCharacters(in: .whitespaces).isEmpty && (!line.hasPrefix("/") || line.hasPrefix("//"))
        guard composing, let room else { return stop() }
        var frames: [ClientFrame] = []
        if typingIn != room {
            frames = stop()
        } else if let lastStart, now - lastStart < Self.refresh {
            return []
        }
        typingIn = room
        lastStart = now
        frames.append(.typingStart(RoomReference(roomID: room)))
        return frames
    }

    /// `typing_stop` for the room being typed in, if any.
    mutating func stop() -> [ClientFrame] {
        defer { sent() }
        return typingIn.map { [.typingStop(RoomReference(roomID: $0))] } ?? []
    }

    /// The line was sent: the server ended typing already.
    mutating func sent() {
        typingIn = nil
        lastStart = nil
    }
}
