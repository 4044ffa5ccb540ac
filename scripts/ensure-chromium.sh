#!/usr/bin/env bash
# Makes sure Debian's Chromium is at /usr/bin/chromium for the browser tests.
# Never downloads a browser from anywhere but the system's package manager (no `playwright install`).
set -euo pipefail

CHROMIUM=/usr/bin/chromium

works() {
  [ -x "$CHROMIUM" ] && "$CHROMIUM" --headless=new --no-sandbox --disable-gpu --version >/dev/null 2>&1
}

if works; then
  echo "Chromium: $("$CHROMIUM" --version 2>/dev/null)"
  exit 0
fi

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Chromium is missing: installing Debian's chromium package with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  "$(dirname "$0")/apt-update-once.sh" && apt-get install -y chromium
  if works; then
    echo "Chromium: $("$CHROMIUM" --version 2>/dev/null)"
    exit 0
  fi
fi

cat >&2 <<'MSG'
The browser tests need Debian's Chromium at /usr/bin/chromium, and it is missing or does not run.
Install it with:
    sudo apt-get update && sudo apt-get install -y chromium
(on Ubuntu, where chromium is a snap, install Debian's package or point S117_CHROMIUM at a
Chromium binary). The tests never download a browser themselves.
MSG
exit 1
