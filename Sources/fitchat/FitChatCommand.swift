import ArgumentParser

@main
struct FitChatCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fitchat",
        abstract: "A scriptable chat system: server, CLI, REPL and bot runner.",
        subcommands: [ServeCommand.self]
    )
}
