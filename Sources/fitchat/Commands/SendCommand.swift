import ArgumentParser
import FitChatClient
import FitChatProtocol
import Foundation

struct SendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send",
        abstract: "Send a message: one REST call, no live session.",
        discussion: """
            With no TEXT, or TEXT '-', the message is read from stdin. A rate limit is waited out, \
            never a line lost: --lines waits as long as it takes unless --timeout is given; a single \
            message waits up to --timeout (default 10 s). Past --timeout it exits 75 saying how many \
            were sent.

            EXAMPLES:
              fitchat send alerts "backup done"
              df -h | fitchat send alerts
              tail -f app.log | grep ERROR | fitchat send ops --lines
              fitchat send general --reply-to 3f9a1c2e "agreed"
              fitchat send ops --file report.pdf "this week's numbers"
              pg_dump app | gzip | fitchat send backups --file - --filename app.sql.gz
            """
    )

    @Argument(help: "Room name, id or @user.", completion: Completions.rooms) var room: String
    @Argument(help: "The message (words are joined with spaces).") var text: [String] = []
    @Flag(help: "Send one message per line of stdin (empty lines are skipped).") var lines = false
    @Option(help: ArgumentHelp("Reply to this message (its id, or a unique prefix of it).", valueName: "id")) var replyTo: String?
    @Option(help: ArgumentHelp("A retry with the same key never posts twice.", valueName: "key")) var idempotencyKey: String?
    @Option(help: ArgumentHelp("Give up waiting out rate limits after this many seconds.", valueName: "seconds")) var timeout: Double?
    @Option(help: ArgumentHelp("Upload this file and send it (TEXT is its caption); - reads stdin.", valueName: "path")) var file: String?
    @Option(help: ArgumentHelp("The file's name as the room sees it (default: the path's last part).", valueName: "name")) var filename: String?
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if lines && !(text.isEmpty || text == ["-"]) { throw ValidationError("--lines reads stdin: give no TEXT") }
        if file != nil && lines { throw ValidationError("--file sends one file: --lines does not go with it") }
        if filename != nil && file == nil { throw ValidationError("--filename names the file of --file") }
        if let timeout, !(timeout > 0 && timeout <= 86_400 * 365) { throw ValidationError("--timeout must be more than 0 and at most a year") }
    }

    func run() async throws {
        if let file { return try await sendFile(file) }
        try await runClient(global) { context throws(ClientError) in
            let messages = try contents()
            guard !messages.isEmpty else { throw .usage("nothing to send: the message is empty") }
            try await context.resolver.withRoom(room) { id throws(ClientError) in
                let replyTo: MessageID? = if let replyTo { try await context.resolver.message(replyTo, in: id) } else { nil }
                let limit = timeout ?? (lines ? nil : 10)
                let deadline = limit.map { ContinuousClock.now + .milliseconds(Int64(($0 * 1000).rounded(.up))) }
                for (index, content) in messages.enumerated() {
                    let key = idempotencyKey.map { messages.count == 1 ? $0 : "\($0)-\(index + 1)" }
                    let request = PostMessageRequest(content: content, replyToID: replyTo, clientMessageID: key)
                    do throws(ClientError) {
                        let message = try await RateLimitWait.call(until: deadline) { () throws(ClientError) in
                            try await context.api.postMessage(request, to: id)
                        }
                        if context.output.json { context.output.object(message) }
                    } catch .timedOut(let reason) {
                        throw .timedOut("\(reason): sent \(index) of \(messages.count) message(s)")
                    }
                }
            }
        }
    }

    /// Uploads the file, then sends it with the caption: the room sees one message.
    private func sendFile(_ path: String) async throws {
        try await runClient(global) { context throws(ClientError) in
            let source = try LocalFile.argument(path, filename: filename)
            let caption = text == ["-"] ? "" : text.joined(separator: " ")
            try await context.resolver.withRoom(room) { id throws(ClientError) in
                let replyTo: MessageID? = if let replyTo { try await context.resolver.message(replyTo, in: id) } else { nil }
                let progress = ProgressLine(label: "sending \(source.filename)", total: source.length)
                let info = try await context.api.upload(source, to: id, progress: progress.update)
                progress.finish()
                let request = PostMessageRequest(
                    content: caption, messageType: source.messageType, replyToID: replyTo, clientMessageID: idempotencyKey, attachmentID: info.id
                )
                let deadline = ContinuousClock.now + .milliseconds(Int64(((timeout ?? 10) * 1000).rounded(.up)))
                let message = try await RateLimitWait.call(until: deadline) { () throws(ClientError) in
                    try await context.api.postMessage(request, to: id)
                }
                if context.output.json { context.output.object(message) }
            }
        }
    }

    private func contents() throws(ClientError) -> [String] {
        guard text.isEmpty || text == ["-"] else {
            let message = text.joined(separator: " ")
            return message.allSatisfy(\.isWhitespace) ? [] : [message]
        }
        let input = try StandardStreams.readAll()
        if lines {
            return input.split(separator: "\n", omittingEmptySubsequences: true).map(String.init).filter { !$0.allSatisfy(\.isWhitespace) }
        }
        let message = input.hasSuffix("\n") ? String(input.dropLast()) : input
        return message.allSatisfy(\.isWhitespace) ? [] : [message]
    }
}
