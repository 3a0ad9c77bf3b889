#!/bin/sh
# Stand-up bot, per-event mode with a schedule: at each due time of its schedule it posts a
# reminder into the first room it is in, and it answers "!standup" with the same text.
# Needs jq.
#
#   fitchat bot run --per-event --schedule '0 9 * * 1-5' --command '!standup' -- bots/standup.sh
#   fitchat bot test --per-event --timer '0 9 * * 1-5' -- bots/standup.sh < /dev/null
#   fitchat bot serve bots/bots.toml     # with the dice bot, from one file
exec jq -c --arg text "Stand-up time: what did you do, what will you do, what is in your way?" '
  if .type == "timer" and (.data.rooms | length) > 0 then
    {type: "send_message", data: {room_id: .data.rooms[0].id, content: $text}}
  elif .type == "new_message" then
    {type: "reply", data: {to: .data, content: $text}}
  else empty end'
