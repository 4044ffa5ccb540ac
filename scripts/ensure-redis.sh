#!/usr/bin/env bash
# Debian's Redis server, for the tests that run a real, throw-away Redis
# (scripts/throwaway_redis.py) and for make run-scaled.
exec "$(dirname "$0")/ensure-debian.sh" redis-server '/usr/bin/redis-server' \
  "The Redis tests and make run-scaled"
