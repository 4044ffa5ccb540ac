#!/usr/bin/env bash
# Debian's PostgreSQL server programs, for the tests that run a real, throw-away PostgreSQL
# (scripts/throwaway_postgres.py) and for make run-scaled.
exec "$(dirname "$0")/ensure-debian.sh" postgresql '/usr/lib/postgresql/*/bin/initdb' \
  "The PostgreSQL tests and make run-scaled"
