import FitChatClient
import FitChatProtocol
import Foundation

extension REPLController {
    func handle(_ event: ChatSession.Event) async {
        switch event {
        case .connected:
            connected = true
            if everConnected { show(style.dim("* reconnected; catching up")) }
            everConnected = true
            resendUnacknowledged()
            updatePrompt()
        case .disconnected(let reason, let retryIn):
            connected = false
            typing = []
            showProblem("\(reason); reconnecting in \(retryIn.secondsText)")
            updatePrompt()
        case .frame(let envelope, _):
            await handle(envelope)
        }
    }

    private func handle(_ envelope: ServerEnvelope) async {
        switch envelope.event {
        case .newMessage(let message):
            usernames[message.senderID] = message.senderUsername
            seqs[message.id] = message.seq
            remember(message)
            if message.roomID == current, let index = typing.firstIndex(of: message.senderUsername) {
                typing.remove(at: index)
                updatePrompt()
            }
            show(format(message))
        case .messageSent(let message):
            if let key = message.clientMessageID { _ = acknowledge(key) }
            seqs[message.id] = message.seq
            remember(message)
            readers[message.roomID] = (message.id, message.seq, [])
        case .typingIndicator(let indicator) where indicator.roomID == current && indicator.userID != me.id:
            typing.removeAll { $0 == indicator.username }
            if indicator.isTyping { typing.append(indicator.username) }
            updatePrompt()
        case .messageReadReceipt(let receipt) where receipt.userID != me.id:
            guard var seen = readers[receipt.roomID],
                  receipt.messageIDs.contains(where: { $0 == seen.message || (seqs[$0] ?? 0) >= seen.seq }),
                  !seen.shown.contains(receipt.userID) else { return }
            seen.shown.insert(receipt.userID)
            readers[receipt.roomID] = seen
            let place = receipt.roomID == current ? "" : "\(name(of: receipt.roomID)) "
            show(style.dim("  \(place)✓ seen by \(name(ofUser: receipt.userID))"))
        case .userStatusChange(let status) where friendIDs.contains(status.userID):
            usernames[status.userID] = status.username
            show(style.dim("* \(status.username) is \(status.isOnline ? "online" : "offline")"))
        case .messageEdited(let edit):
            recent[edit.message.id] = edit.message
            show(format(edit.message) + style.dim(" (edited)"))
        case .messageDeleted(let deletion):
            let who = deletion.userID.map { $0 == me.id ? "you" : name(ofUser: $0) } ?? "someone"
            let what = quote(deletion.id).map { "the message \($0)" } ?? "a message"
            show(style.dim("* \(who) deleted \(what)\(elsewhere(deletion.roomID))"))
            recent[deletion.id] = nil
        case .reaction(let reaction) where reaction.eventSeq != nil:
            let who = reaction.userID == me.id ? "you" : reaction.username ?? name(ofUser: reaction.userID)
            let verb = reaction.on ? "reacted \(reaction.emoji) to" : "took back \(reaction.emoji) from"
            show(style.dim("* \(who) \(verb) \(describe(reaction.messageID))\(elsewhere(reaction.roomID))"))
        case .roomUpdated(let update):
            await roomChanged(update)
        case .error(let error):
            if let id = envelope.id, let frame = acknowledge(id) {
                let text = frame.content.count > 40 ? frame.content.prefix(40) + "…" : frame.content
                showProblem("not sent (\(error.message)): \"\(text)\"; press Up to edit and send it again")
            } else {
                showProblem("\(error.code.rawValue): \(error.message)")
            }
        default:
            break
        }
    }

    private func roomChanged(_ update: RoomUpdated) async {
        let before = name(of: update.roomID)
        do { try await refreshRooms() } catch { return showProblem(error.description) }
        let text: String? = switch update.change {
        case .created: "you are in a new room: \(name(of: update.roomID))"
        case .renamed: "\(before) is now \(name(of: update.roomID))"
        case .deleted: "\(before) was deleted"
        case .participantAdded where update.userIDs?.contains(me.id) == true: "you were added to \(name(of: update.roomID))"
        case .participantRemoved where update.userIDs?.contains(me.id) == true: "you left \(before)"
        case .participantAdded, .participantRemoved: nil
        }
        if let text { show(style.dim("* " + text)) }
        updatePrompt()
    }

    /// A message as the REPL shows it: time, room (when not the current one, or `naming` it),
    /// sender, the message it replies to (quoted by its first line), text; continuation lines
    /// indented under the text.
    func format(_ message: ChatMessage, namingTheRoom: Bool = false) -> String {
        let place = message.roomID == current && !namingTheRoom ? "" : style.accent(name(of: message.roomID)) + " "
        let sender = message.senderID == me.id ? style.accent(message.senderUsername) : style.bold(message.senderUsername)
        var head = "\(style.dim(TextStyle.clock.string(from: message.createdAt))) \(place)\(sender): "
        if let original = message.replyToID {
            head += style.dim("↪ \(describe(original)) ")
        }
        if message.deleted == true { return head + style.dim("(message deleted)") }
        var text = head + message.content.replacingOccurrences(of: "\n", with: "\n      ")
        if let file = message.attachment {
            text += (message.content.isEmpty ? "" : " ") + style.accent("[file \(file.filename), \(TextStyle.size(file.size))]")
        }
        if let reactions = message.reactions, !reactions.isEmpty {
            text += "  " + reactions.map { "\($0.emoji) \($0.count)" }.joined(separator: " ")
        }
        return text
    }

    /// Keeps a message for what may refer to it later.
    func remember(_ message: ChatMessage) {
        recent[message.id] = message
        lastMessage[message.roomID] = message.id
        if message.senderID == me.id { lastOwnMessage[message.roomID] = message.id }
    }

    /// A message others refer to, as `bob's "first line…"`, or `a message` when not seen lately.
    private func describe(_ id: MessageID) -> String {
        guard let message = recent[id], let quoted = quote(id) else { return "a message" }
        return "\(message.senderID == me.id ? "your" : "\(message.senderUsername)'s") \(quoted)"
    }

    /// The first line of a message seen lately, quoted and cut at 40 characters.
    private func quote(_ id: MessageID) -> String? {
        guard let message = recent[id], message.deleted != true else { return nil }
        let firstLine = message.content.split(separator: "\n", omittingEmptySubsequences: true).first.map(String.init) ?? ""
        return "\"" + (firstLine.count > 40 ? firstLine.prefix(40) + "…" : firstLine) + "\""
    }

    private func elsewhere(_ roomID: RoomID) -> String {
        roomID == current ? "" : " in \(name(of: roomID))"
    }
}
