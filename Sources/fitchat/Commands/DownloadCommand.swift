import ArgumentParser
import FitChatClient
import FitChatProtocol
import Foundation
import NIOCore

struct DownloadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "download",
        abstract: "Save the file a message shares.",
        discussion: """
            MESSAGE is the message's id or a unique prefix of it (as history prints it); a whole \
            attachment id works too. The file is saved in the current directory under its name, \
            never over an existing file unless --force; -o PATH saves it there, -o - writes it to \
            stdout. A download that fails midway leaves nothing behind.

            EXAMPLES:
              fitchat download 3f9a1c2e
              fitchat download 3f9a1c2e -o - | tar xz
            """
    )

    @Argument(help: "The message (id or unique prefix) or the attachment id.") var item: String
    @Option(name: .shortAndLong, help: ArgumentHelp("Where to save it; - for stdout.", valueName: "path")) var output: String?
    @Flag(help: "Replace an existing file.") var force = false
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await runClient(global) { context throws(ClientError) in
            let (id, known) = try await self.attachment(context)
            if output == "-" {
                try await context.api.download(id) { buffer in Output.standardOutput(Data(buffer: buffer)) }
                return
            }
            let file = PartialFile()
            do throws(ClientError) {
                var progress: ProgressLine?
                var written: Int64 = 0
                var expected: Int64?
                try await context.api.download(id) { head in
                    let target = try destination(filename: known?.filename ?? head.filename ?? "download")
                    try file.open(for: target)
                    expected = known?.size ?? head.size
                    progress = ProgressLine(label: "saving \(target.lastPathComponent)", total: expected)
                } write: { buffer in
                    try file.write(buffer)
                    written += Int64(buffer.readableBytes)
                    progress?.update(written)
                }
                progress?.finish()
                if let expected, written != expected { throw ClientError.protocolViolation("the download ended after \(written) of \(expected) bytes") }
                let target = try file.place(replacing: force)
                if context.output.json { context.output.object(SavedFile(path: target.path, attachmentID: id)) } else { context.output.line(target.path) }
            } catch {
                file.discard()
                throw error
            }
        }
    }

    /// The attachment of the message named (and what it is), or the attachment with that id.
    private func attachment(_ context: CommandContext) async throws(ClientError) -> (AttachmentInfo.ID, AttachmentInfo?) {
        let messageID = try await context.resolver.message(item, in: nil)
        let found = try await context.api.messages(idPrefix: try ChatIDPrefix(messageID.uuidString).orThrow(item))
        if let message = found.first(where: { $0.id == messageID }) {
            guard let attachment = message.attachment else { throw .unresolved("message \(item) shares no file") }
            return (attachment.id, attachment)
        }
        // A whole id that is no message of yours: an attachment id, which the server checks.
        return (messageID, nil)
    }

    private func destination(filename: String) throws(ClientError) -> URL {
        let directory = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        var target: URL
        if let output {
            var isDirectory: ObjCBool = false
            let given = URL(fileURLWithPath: output, relativeTo: directory).standardizedFileURL
            target = FileManager.default.fileExists(atPath: given.path, isDirectory: &isDirectory) && isDirectory.boolValue
                ? given.appendingPathComponent(Self.safeName(filename)) : given
        } else {
            target = directory.appendingPathComponent(Self.safeName(filename))
        }
        if FileManager.default.fileExists(atPath: target.path) && !force {
            throw .usage("\(target.path) exists: give --force to replace it, or -o another path")
        }
        return target
    }

    /// The server sanitises names; a client still never lets one leave the directory.
    static func safeName(_ filename: String) -> String {
        let last = filename.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let clean = String(String.UnicodeScalarView(last.unicodeScalars.filter { $0.properties.generalCategory != .control }))
        return clean.isEmpty || clean == "." || clean == ".." || clean.hasPrefix(".") ? "download" + clean : clean
    }
}

/// `download --json`: where the file went.
struct SavedFile: Encodable {
    let path: String
    let attachmentID: AttachmentInfo.ID

    enum CodingKeys: String, CodingKey {
        case path
        case attachmentID = "attachment_id"
    }
}

/// A download's file while it arrives: a hidden name beside the target, mode 0600, moved into
/// place only once complete, so a failed download leaves nothing and a file that appeared
/// meanwhile is never replaced without --force.
final class PartialFile {
    private var handle: FileHandle?
    private var partial: URL?
    private var target: URL?

    func open(for target: URL) throws(ClientError) {
        let partial = target.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent).fitchat-partial")
        guard FileManager.default.createFile(atPath: partial.path, contents: nil, attributes: [.posixPermissions: 0o600]),
            let handle = FileHandle(forWritingAtPath: partial.path)
        else { throw .usage("cannot write in \(target.deletingLastPathComponent().path)") }
        (self.handle, self.partial, self.target) = (handle, partial, target)
    }

    func write(_ buffer: ByteBuffer) throws {
        try handle?.write(contentsOf: Data(buffer: buffer))
    }

    func place(replacing: Bool) throws(ClientError) -> URL {
        try? handle?.close()
        handle = nil
        guard let partial, let target else { throw .protocolViolation("the download sent no file") }
        if replacing { try? FileManager.default.removeItem(at: target) }
        // link(2) fails on an existing name, where a rename would replace it.
        guard link(partial.path, target.path) == 0 else {
            throw .usage("\(target.path) exists: give --force to replace it, or -o another path")
        }
        try? FileManager.default.removeItem(at: partial)
        self.partial = nil
        return target
    }

    func discard() {
        try? handle?.close()
        if let partial { try? FileManager.default.removeItem(at: partial) }
    }
}

extension Optional where Wrapped == ChatIDPrefix {
    func orThrow(_ argument: String) throws(ClientError) -> ChatIDPrefix {
        guard let self else { throw .usage("'\(argument)' is not a message id") }
        return self
    }
}
