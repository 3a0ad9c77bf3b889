import ArgumentParser

/// `fitchat --profile work whoami`: swift-argument-parser reads a command's options after its
/// name only, so global options given before the command are moved to just after it (before
/// its other arguments, so never behind a `--`).
enum CommandLineArguments {
    /// Whether an option of `GlobalOptions` takes a value; nil for any other argument. (A
    /// switch, not a dictionary: the first dictionary of a process costs every run ~0.1 ms.)
    static func globalOptionTakesValue(_ name: String) -> Bool? {
        switch name {
        case "--server", "--profile": true
        case "--json": false
        default: nil
        }
    }

    static func hoistingGlobalOptions(_ arguments: [String], root: any ParsableCommand.Type) -> [String] {
        var hoisted: [String] = []
        var rest = arguments[...]
        while let first = rest.first {
            let name = String(first.split(separator: "=", maxSplits: 1).first ?? "")
            guard let takesValue = globalOptionTakesValue(name) else { break }
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
