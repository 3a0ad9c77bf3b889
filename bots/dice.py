#!/usr/bin/env python3
"""Dice bot, streaming mode: one process reads every event as a JSON line on stdin and
answers "!roll NdM" and "!help" with the reply shorthand on stdout.

    fitchat bot run --name dice -- python3 bots/dice.py
    fitchat bot test -- python3 bots/dice.py < recorded-events.jsonl
"""
import json
import random
import re
import sys

HELP = "commands: !roll NdM (e.g. !roll 2d6, up to 100 dice of up to 1000 sides), !help"


def answer(text):
    if text == "!help":
        return HELP
    match = re.fullmatch(r"!roll\s+(\d{1,3})d(\d{1,4})", text)
    if not match:
        return None
    count, sides = int(match.group(1)), int(match.group(2))
    if not (1 <= count <= 100 and 1 <= sides <= 1000):
        return "sorry: 1 to 100 dice of 1 to 1000 sides"
    rolls = [random.randint(1, sides) for _ in range(count)]
    return f"{count}d{sides}: {' + '.join(map(str, rolls))} = {sum(rolls)}"


for line in sys.stdin:
    event = json.loads(line)
    if event.get("type") == "bot_started":
        print(f"dice bot up as {event['data']['username']}", file=sys.stderr, flush=True)
    if event.get("type") != "new_message":
        continue
    reply = answer(event["data"]["content"].strip())
    if reply is not None:
        print(json.dumps({"type": "reply", "data": {"to": event["data"], "content": reply}}), flush=True)
