@testable import FitChatBots
import FitChatClient
import Testing

/// Reading a bots file: what each key becomes, and a problem named by its line and key.
@Suite struct BotFileTests {
    func parse(_ text: String) throws(ClientError) -> [BotEntry] {
        try BotFile.parse(text, name: "bots.toml", directory: "/srv/bots")
    }

    func problem(_ text: String) -> String {
        do {
            _ = try parse(text)
            return "parsed"
        } catch {
            return error.description
        }
    }

    @Test func everyKeyLandsInTheBotsConfiguration() throws {
        let entries = try parse(
            """
            [[bot]]
            name = "dice"
            profile = "dicebot"
            command = ["./bots/dice.py", "--sides", "6"]
            rooms = ["games", "@ann"]
            events = ["new_message", "reaction"]
            restart = "always"
            env = { DICE_MAX = "100" }
            commands = ["!roll", "!help"]
            pass_token = true
            queue_size = 50
            replay_limit = 10
            concurrency = 2
            handler_timeout = 2.5

            [[bot]]
            name = "standup"
            token_file = "tokens/ops"
            command = "standup.sh"
            mode = "per-event"
            schedule = ["0 9 * * 1-5", "30 16 * * fri"]
            """
        )
        #expect(entries.map(\.name) == ["dice", "standup"])
        let dice = entries[0].configuration
        #expect(entries[0].account == .profile("dicebot"))
        #expect(dice.command == ["./bots/dice.py", "--sides", "6"] && dice.workingDirectory == "/srv/bots")
        #expect(dice.rooms == ["games", "@ann"] && dice.events == ["new_message", "reaction"])
        #expect(dice.restart == .always && dice.extraEnvironment == ["DICE_MAX": "100"] && dice.commands == ["!roll", "!help"])
        #expect(dice.passToken && dice.queueBound == 50 && dice.replayLimit == 10 && dice.concurrency == 2)
        #expect(dice.handlerTimeout == .milliseconds(2_500) && !dice.perEvent && dice.schedules.isEmpty)
        let standup = entries[1].configuration
        #expect(entries[1].account == .tokenFile("/srv/bots/tokens/ops"), "relative to the file's directory")
        #expect(standup.command == ["standup.sh"] && standup.perEvent && standup.restart == .onFailure)
        #expect(standup.schedules.map(\.expression) == ["0 9 * * 1-5", "30 16 * * fri"])
        #expect(standup.events == nil && standup.commands.isEmpty && !standup.passToken)
    }

    @Test func aBotWithoutProfileOrTokenFileRunsAsTheSupervisor() throws {
        let entries = try parse("[[bot]]\nname = \"echo\"\ncommand = [\"./echo.sh\"]\n")
        #expect(entries[0].account == .supervisor)
    }

    @Test func problemsNameTheLineAndTheKey() {
        let bot = "[[bot]]\nname = \"a\"\ncommand = [\"./a.sh\"]\n"
        #expect(problem(bot + "mode = \"fast\"\n") == "bots.toml:4: key 'mode': must be \"streaming\" or \"per-event\", not \"fast\"")
        #expect(problem(bot + "rooms = \"games\"\n") == "bots.toml:4: key 'rooms': must be a list of strings, not a string")
        #expect(problem(bot + "events = [\"new_mesage\"]\n").hasPrefix("bots.toml:4: key 'events': no event type \"new_mesage\""))
        #expect(problem(bot + "queue_size = 0\n") == "bots.toml:4: key 'queue_size': must be a whole number from 1 to 1000000")
        #expect(problem(bot + "profile = \"x\"\ntoken_file = \"t\"\n") == "bots.toml:5: key 'token_file': give profile or token_file, not both")
        #expect(problem(bot + "commands = [\"!a b\"]\n") == "bots.toml:4: key 'commands': each command is one word, like \"!standup\"")
        #expect(problem(bot + "env = { A = 1 }\n") == "bots.toml:4: key 'env': A must be a string")
        #expect(problem(bot + "\n[[bot]]\nname = \"b\"\ncommand = []\n") == "bots.toml:7: key 'command': bot \"b\" has no command")
        #expect(problem("[[bot]]\nname = \"a/b\"\ncommand = [\"x\"]\n").hasPrefix("bots.toml:2: key 'name': \"a/b\" must be letters"))
        #expect(problem("[[bot]]\ncommand = [\"x\"]\n") == "bots.toml:1: this [[bot]] has no name")
        #expect(problem("title = \"x\"\n" + bot) == "bots.toml:1: key 'title': unknown key (a bots file has [[bot]] tables only)")
        #expect(problem("[bot]\nname = \"a\"\n") == "bots.toml:1: key 'bot': must be [[bot]] tables, one per bot")
        #expect(problem("") == "bots.toml:1: no [[bot]] table: nothing to run")
        #expect(problem(bot + "mode = \"streaming\n").hasPrefix("bots.toml:4:"), "a syntax error names its line")
    }
}
