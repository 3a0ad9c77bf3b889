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
            if message.roomID == current, let index = typing.firstIndex(of: message.senderUsername) {
                typing.remove(at: index)
                updatePrompt()
            }
            show(format(message))
        case .messageSent(let message):
            if let key = message.clientMessageID { _ = acknowledge(key) }
            seqs[message.id] = message.seq
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
    /// sender, text; continuation lines indented under the text.
    func format(_ message: ChatMessage, namingTheRoom: Bool = false) -> String {
        let place = message.roomID == current && !namingTheRoom ? "" : style.accent(name(of: message.roomID)) + " "
        let sender = message.senderID == me.id ? style.accent(message.senderUsername) : style.bold(message.senderUsername)
        let head = "\(style.dim(TextStyle.clock.string(from: message.createdAt))) \(place)\(sender): "
        return head + message.content.replacingOccurrences(of: "\n", with: "\n      ")
    }
}
