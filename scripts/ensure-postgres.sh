#!/usr/bin/env bash
# Makes sure Debian's PostgreSQL server programs are installed, for the tests that run a real,
# throw-away PostgreSQL (scripts/throwaway_postgres.py). Installs from the system's package
# manager only; never starts the system's own cluster.
set -euo pipefail

found() { ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; }

if found; then
  echo "PostgreSQL: $(ls -d /usr/lib/postgresql/*/bin | tail -1)"
  exit 0
fi

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "PostgreSQL is missing: installing Debian's postgresql package with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update && apt-get install -y --no-install-recommends postgresql
  if found; then
    exit 0
  fi
fi

cat >&2 <<'MSG'
The PostgreSQL tests need Debian's PostgreSQL server programs (/usr/lib/postgresql/*/bin), and
they are missing. Install them with:
    sudo apt-get update && sudo apt-get install -y postgresql
MSG
exit 1
