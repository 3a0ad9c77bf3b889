#!/bin/sh
# Cron notifier: runs a job and posts how it went with 'fitchat send' (one REST call, no
# session). Log the bot's user in once with 'fitchat login', or give FITCHAT_TOKEN.
#
#   crontab -e:   30 3 * * *  BACKUP_COMMAND="restic backup /home" /path/to/bots/backup-notify.sh
#
# FITCHAT_ROOM names the room (default: alerts). Exit status: the job's, or fitchat's.
room="${FITCHAT_ROOM:-alerts}"
job="${BACKUP_COMMAND:-true}"
started=$(date +%s)
if sh -c "$job" >/dev/null 2>&1; then
  fitchat send "$room" "backup done on $(hostname) in $(( $(date +%s) - started )) s"
else
  status=$?
  fitchat send "$room" "backup FAILED on $(hostname) (exit $status)" || exit $?
  exit "$status"
fi
