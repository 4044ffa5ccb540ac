#!/usr/bin/env bash
# `apt-get update`, once: when Chromium, PostgreSQL and Redis are all missing (a fresh CI
# machine), their three ensure scripts would each refresh the package lists. A stamp in build/
# younger than an hour means this set-up already did.
set -euo pipefail
stamp="$(dirname "$0")/../build/.apt-lists-updated"
if [ -f "$stamp" ] && [ -n "$(find "$stamp" -mmin -60 2>/dev/null)" ]; then
  exit 0
fi
apt-get update
mkdir -p "$(dirname "$stamp")"
touch "$stamp"
