import FitChatTestSupport
import Foundation

/// The repository's `bots/` directory, where the shipped examples live.
let shippedBots = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("bots")

/// A test bot (Python, streaming) whose behaviour the tests steer with environment variables.
/// It says "ready" on start, and reports what the runner told it as chat messages.
let probeBot = #"""
import json, os, subprocess, signal, sys, time

def send(room, text):
    print(json.dumps({"type": "send_message", "data": {"room_id": room, "content": text}}), flush=True)

if os.environ.get("PROBE_LOG"):
    with open(os.environ["PROBE_LOG"], "a") as log:
        log.write(f"{time.monotonic()}\n")
if os.environ.get("PROBE_EXIT"):
    sys.exit(int(os.environ["PROBE_EXIT"]))
if os.environ.get("PROBE_STUBBORN"):
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
if os.environ.get("PROBE_PIDS"):
    child = subprocess.Popen(["sleep", "300"])
    with open(os.environ["PROBE_PIDS"], "w") as pids:
        pids.write(f"{os.getpid()} {child.pid}\n")
room = None
fillers = 0
for line in sys.stdin:
    event = json.loads(line)
    kind, data = event["type"], event.get("data", {})
    if kind == "bot_started":
        room = data["rooms"][0]["id"]
        if os.environ.get("PROBE_STATE"):
            state = os.environ["FITCHAT_BOT_STATE_DIR"]
            counter = os.path.join(state, "runs")
            runs = int(open(counter).read()) + 1 if os.path.exists(counter) else 1
            with open(counter, "w") as out:
                out.write(str(runs))
            send(room, f"state {oct(os.stat(state).st_mode & 0o777)} runs {runs}")
        print(f"started as {data['username']} with FITCHAT_TOKEN={'FITCHAT_TOKEN' in os.environ}", file=sys.stderr, flush=True)
        send(room, f"ready as {os.environ['FITCHAT_USERNAME']}")
        if os.environ.get("PROBE_GARBAGE"):
            print("this is not json", flush=True)
            print('{"type": "bogus", "data": {}}', flush=True)
    elif kind == "error" and data.get("code") == "bad_bot_output":
        send(room, f"bad output on line {data['line']}")
    elif kind == "bot_reconnected":
        send(room, "reconnected!")
    elif kind == "events_dropped":
        send(room, f"dropped {data['count']}")
    elif kind == "new_message":
        text = data["content"]
        if text == "slow":
            # Busy until the test says so (PROBE_RELEASE appears), or 3 s without one.
            release = os.environ.get("PROBE_RELEASE")
            deadline = time.monotonic() + (60 if release else 3)
            while time.monotonic() < deadline and not (release and os.path.exists(release)):
                time.sleep(0.05)
        elif text.startswith("filler"):
            fillers += 1
        elif text == "done":
            send(room, f"saw {fillers} fillers")
        elif text.startswith("ping"):
            print(json.dumps({"type": "reply", "data": {"to": data["id"], "content": "pong: " + text}}), flush=True)
        elif text == "flood":
            for index in range(30):
                send(data["room_id"], f"flood {index}")
if os.environ.get("PROBE_STUBBORN"):
    time.sleep(60)
"""#

extension CLI {
    /// `bot` (the bot's user) and bob in room "general"; bob follows it. Returns bob's tail.
    func botRoom(events: String = "new_message", timeout: Int = 30) async throws -> Follower {
        try await register("bot")
        try await register("bob")
        try await ok(["rooms", "create", "general", "--member", "bot"], as: "bob")
        return try await follow("general", as: "bob", events: events, timeout: timeout)
    }

    /// The probe bot's script in a fresh directory.
    func writeProbe() throws -> String {
        let path = try TestServer.makeDirectory().appendingPathComponent("probe.py").path
        try probeBot.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// `fitchat bot run ARGUMENTS` as the bot user, with extra environment for the bot.
    func runBot(_ arguments: [String], environment extra: [String: String] = [:]) throws -> ChildProcess {
        try ChildProcess(ServerProcess.binary, ["bot", "run"] + arguments, environment: environment(profile: "bot", extra: extra))
    }
}

extension Follower {
    /// Skips events until a message with this content; fails if the tail ends first.
    mutating func awaitMessage(_ content: String) async throws -> [String: Any] {
        while true {
            let event = try await next()
            if event.type == "new_message", event.data["content"] as? String == content { return event.data }
        }
    }
}
