import FitChatProtocol
import Foundation

/// One named account on one server: what `login` saves and every other command reads.
public struct Profile: Codable, Sendable, Equatable {
    public var server: String?
    public var username: String?
    public var userID: UserID?

    public init(server: String? = nil, username: String? = nil, userID: UserID? = nil) {
        self.server = server
        self.username = username
        self.userID = userID
    }

    enum CodingKeys: String, CodingKey {
        case server, username
        case userID = "user_id"
    }

    /// A profile saved before ids were UUIDs has an integer `user_id`: it is dropped (the next
    /// login saves the new one), the rest of the profile is kept.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        server = try container.decodeIfPresent(String.self, forKey: .server)
        username = try container.decodeIfPresent(String.self, forKey: .username)
        userID = try? container.decodeIfPresent(UserID.self, forKey: .userID)
    }
}

/// A profile's files: `profiles/NAME.json` and its token in `profiles/NAME.token` (mode 0600),
/// plus its state (room names for completion and resolution, tail cursors).
public struct ProfileStore: Sendable {
    public let name: String
    public let paths: ClientPaths

    public init(name: String, paths: ClientPaths) throws(ClientError) {
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }), !name.hasPrefix(".") else {
            throw .configuration("invalid profile name '\(name)': use letters, digits, '-', '_' and '.'")
        }
        self.name = name
        self.paths = paths
    }

    var profileFile: URL { paths.configDirectory.appending(path: "profiles/\(name).json", directoryHint: .notDirectory) }
    var tokenFile: URL { paths.configDirectory.appending(path: "profiles/\(name).token", directoryHint: .notDirectory) }
    var stateDirectory: URL { paths.stateDirectory.appendingPathComponent(name) }

    /// A bot's own directory under this profile's state (its cursors, its state directory),
    /// created 0700. The name is made a safe file name: `../x` cannot leave the directory.
    public func botDirectory(_ botName: String) throws(ClientError) -> URL {
        var safe = String(botName.map { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) ? $0 : "_" })
        if safe.isEmpty || safe.hasPrefix(".") { safe = "_" + safe }
        let directory = stateDirectory.appendingPathComponent("bots").appendingPathComponent(safe)
        try ClientPaths.ensurePrivateDirectory(directory)
        return directory
    }

    public func load() throws(ClientError) -> Profile {
        try readJSON(Profile.self, at: profileFile) ?? Profile()
    }

    public func save(_ profile: Profile) throws(ClientError) {
        try ClientPaths.writePrivately(try encode(profile), to: profileFile)
    }

    /// The saved token, or nil when not logged in.
    public func token() throws(ClientError) -> String? {
        guard FileManager.default.fileExists(atPath: tokenFile.path) else { return nil }
        guard let data = FileManager.default.contents(atPath: tokenFile.path) else {
            throw .configuration("cannot read \(tokenFile.path)")
        }
        // Swift's own trimming: Foundation's bridges through NSString and costs every command ~0.2 ms.
        var token = Substring(String(decoding: data, as: UTF8.self))
        while token.first?.isWhitespace == true { token.removeFirst() }
        while token.last?.isWhitespace == true { token.removeLast() }
        return token.isEmpty ? nil : String(token)
    }

    public func saveToken(_ token: String) throws(ClientError) {
        try ClientPaths.writePrivately(Data((token + "\n").utf8), to: tokenFile)
    }

    /// Logs out: the token is deleted, the profile's server and username stay.
    public func forgetToken() {
        try? FileManager.default.removeItem(at: tokenFile)
    }

    // MARK: State

    /// The caller's rooms as last fetched: resolves names without a round trip, feeds completion.
    /// A cache written before ids were UUIDs does not decode and counts as empty.
    public func cachedRooms() -> [RoomInfo] {
        (try? readJSON([RoomInfo].self, at: stateDirectory.appendingPathComponent("rooms.json"))) ?? []
    }

    public func cacheRooms(_ rooms: [RoomInfo]) {
        let slim = rooms.map { room in
            var room = room
            room.lastMessage = nil
            room.participants = nil
            return room
        }
        try? ClientPaths.writePrivately(try encode(slim), to: stateDirectory.appendingPathComponent("rooms.json"))
    }

    /// Usernames seen lately (friends, room members), for completion.
    public func cachedUsernames() -> [String] {
        (try? readJSON([String].self, at: stateDirectory.appendingPathComponent("users.json"))) ?? []
    }

    public func cacheUsernames(_ names: [String]) {
        let merged = Array(Set(cachedUsernames() + names)).sorted()
        try? ClientPaths.writePrivately(try encode(merged), to: stateDirectory.appendingPathComponent("users.json"))
    }

    /// The last `seq` a `tail` printed, per room: where `tail --since-last` resumes. Cursors kept
    /// under integer room ids (before ids were UUIDs) name no room any more and are dropped.
    public func tailCursors() -> [RoomID: Int64] {
        let stored = (try? readJSON([String: Int64].self, at: stateDirectory.appendingPathComponent("tail-cursors.json"))) ?? [:]
        return Dictionary(uniqueKeysWithValues: stored.compactMap { key, value in RoomID(key).map { ($0, value) } })
    }

    public func saveTailCursors(_ cursors: [RoomID: Int64]) throws(ClientError) {
        let stored = Dictionary(uniqueKeysWithValues: cursors.map { (String($0.key), $0.value) })
        try ClientPaths.writePrivately(try encode(stored), to: stateDirectory.appendingPathComponent("tail-cursors.json"))
    }

    /// The REPL's input history, kept across sessions.
    public var replHistoryFile: URL { stateDirectory.appendingPathComponent("repl-history") }

    // MARK: Files

    private func encode<T: Encodable>(_ value: T) throws(ClientError) -> Data {
        let encoder = WireCoding.makeEncoder()
        do { return try encoder.encode(value) } catch { throw .configuration("cannot encode \(T.self): \(error)") }
    }

    private func readJSON<T: Decodable>(_ type: T.Type, at url: URL) throws(ClientError) -> T? {
        guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
        do {
            return try WireCoding.makeDecoder().decode(type, from: data)
        } catch {
            throw .configuration("\(url.path) is not valid: \(error.localizedDescription)")
        }
    }
}
