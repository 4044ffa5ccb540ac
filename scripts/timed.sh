#!/usr/bin/env bash
# One line when a set-up stage starts and one when it ends, with its time (issue 15):
#   timed.sh LABEL [--log FILE] COMMAND...
# With --log the command's own output goes to FILE (shown if it fails), so a stage running
# beside another (make -j2) does not mix its lines into the other's progress bars.
set -uo pipefail
label=$1
shift
log=""
if [ "${1:-}" = "--log" ]; then
  log=$2
  shift 2
fi
start=$(date +%s)
echo "==> $label"
if [ -n "$log" ]; then
  mkdir -p "$(dirname "$log")"
  "$@" >"$log" 2>&1
else
  "$@"
fi
status=$?
elapsed=$(( $(date +%s) - start ))
if [ "$status" -eq 0 ]; then
  echo "==> $label: done in ${elapsed} s"
else
  echo "==> $label: FAILED after ${elapsed} s (exit $status)" >&2
  if [ -n "$log" ]; then
    echo "    the last lines of $log:" >&2
    tail -n 25 "$log" >&2
  fi
fi
exit "$status"
