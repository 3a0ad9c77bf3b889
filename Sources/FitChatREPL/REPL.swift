import FitChatClient
import FitChatProtocol
import Foundation

/// `fitchat repl`: a chat prompt on GNU readline over the client core. Server events are shown
/// above the line being typed; the connection heals itself and replays what was missed.
public struct REPL: Sendable {
    let api: ChatAPI
    let store: ProfileStore
    let initialRoom: String?
    let style: TextStyle

    public init(api: ChatAPI, store: ProfileStore, initialRoom: String?, environment: [String: String]) {
        self.api = api
        self.store = store
        self.initialRoom = initialRoom
        style = .forTerminal(STDOUT_FILENO, environment: environment)
    }

    /// What the REPL reacts to, from the keyboard and from the server, in one ordered stream.
    enum Stimulus: Sendable {
        /// The prompt is up: the starting room's last messages are shown.
        case started
        case keyboard(EditorInput)
        case server(ChatSession.Event)
        case sessionEnded(ClientError)
    }

    /// Runs until Ctrl-D, `/quit` or SIGTERM. Throws when the session cannot go on (the token
    /// was rejected); the terminal is restored either way.
    public func run() async throws(ClientError) {
        let controller = try await REPLController.start(api: api, store: store, initialRoom: initialRoom, style: style)
        let editor = try LineEditor(prompt: controller.prompt, historyFile: store.replHistoryFile)
        controller.attach(editor)
        let session = controller.session
        let (stimuli, sink) = AsyncStream.makeStream(of: Stimulus.self)
        sink.yield(.started)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await editor.run() }
            group.addTask {
                do throws(ClientError) { try await session.run() } catch { sink.yield(.sessionEnded(error)) }
            }
            group.addTask {
                for await input in editor.inputs { sink.yield(.keyboard(input)) }
                sink.yield(.keyboard(.endOfInput))
            }
            group.addTask {
                for await event in session.events { sink.yield(.server(event)) }
            }
            for await stimulus in stimuli {
                guard await controller.handle(stimulus) else { break }
            }
            group.cancelAll()
        }
        if let failure = controller.failure { throw failure }
    }
}
