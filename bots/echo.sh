#!/bin/sh
# Echo bot, per-event mode: each new message starts this script with the event on stdin;
# it answers with the reply shorthand. Needs jq.
#
#   fitchat bot run --per-event -- bots/echo.sh
#   fitchat tail --json --count 1 general | fitchat bot test --per-event -- bots/echo.sh
exec jq -c 'select(.type == "new_message") | {type: "reply", data: {to: .data, content: ("echo: " + .data.content)}}'
