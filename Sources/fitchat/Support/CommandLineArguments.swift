import ArgumentParser

/// `fitchat --profile work whoami`: swift-argument-parser reads a command's options after its
/// name only, so global options given before the command are moved to just after it (before
/// its other arguments, so never behind a `--`).
enum CommandLineArguments {
    /// Options of `GlobalOptions` and whether each takes a value.
    static let globalOptions: [String: Bool] = ["--server": true, "--profile": true, "--json": false]

    static func hoistingGlobalOptions(_ arguments: [String], root: any ParsableCommand.Type) -> [String] {
        var hoisted: [String] = []
        var rest = arguments[...]
        while let first = rest.first {
            let name = String(first.split(separator: "=", maxSplits: 1).first ?? "")
            guard let takesValue = globalOptions[name] else { break }
            hoisted.append(first)
            rest = rest.dropFirst()
            if takesValue, !first.contains("="), let value = rest.first {
                hoisted.append(value)
                rest = rest.dropFirst()
            }
        }
        guard !hoisted.isEmpty else { return arguments }
        let path = commandPath(Array(rest), root: root)
        return Array(rest.prefix(path.count)) + hoisted + Array(rest.dropFirst(path.count))
    }

    /// The leading arguments that name (sub)commands: `["bot", "run"]` of `bot run -- ./x`.
    static func commandPath(_ arguments: [String], root: any ParsableCommand.Type) -> [String] {
        var command = root
        var path: [String] = []
        for argument in arguments {
            guard let next = command.configuration.subcommands.first(where: { $0._commandName == argument }) else { break }
            path.append(argument)
            command = next
        }
        return path
    }
}
