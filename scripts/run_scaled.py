"""`make run-scaled`: the scaled mode on one machine, for trying it and for tests.

Starts a PostgreSQL server (the conversations and the insights) and a Redis server (the
conversation locks and the shared rate-limit counts) from Debian's packages, with their data
under var/postgres and var/redis, on loopback only, with passwords generated at the first run
and kept in var/scaled-passwords.json (readable by this user only). Then it starts RASA_REPLICAS
(default 2) Rasa servers with their action servers and the web server with WEB_WORKERS
(default 2) workers, exactly as `make run` does (scripts/run_all.py). Ctrl-C stops them all,
PostgreSQL and Redis last. For several machines see README "Scaling out".
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from scripts import run_all
from scripts.throwaway_postgres import PostgresUnavailable, ThrowawayPostgres
from scripts.throwaway_redis import RedisUnavailable, ThrowawayRedis

ROOT = Path(__file__).resolve().parents[1]
VAR = ROOT / "var"
PASSWORDS = VAR / "scaled-passwords.json"
TRACKER_DATABASE = "s117"
INSIGHTS_DATABASE = "s117_insights"


def passwords() -> dict[str, str]:
    """Generated once, then reused, so the kept data stays reachable."""
    import secrets

    if PASSWORDS.exists():
        return json.loads(PASSWORDS.read_text())
    made = {"postgres": secrets.token_urlsafe(24), "redis": secrets.token_urlsafe(24)}
    fd = os.open(PASSWORDS, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(made, handle)
    return made


def scaled_environment(postgres: ThrowawayPostgres, redis: ThrowawayRedis,
                       env: dict[str, str]) -> dict[str, str]:
    """The settings the scaled mode adds; whatever the person set already wins."""
    added = {"TRACKER_STORE_URL": postgres.url(TRACKER_DATABASE),
             "LOCK_STORE_URL": redis.url(1),
             "S117_INSIGHTS_DB": postgres.url(INSIGHTS_DATABASE),
             "RASA_REPLICAS": "2", "WEB_WORKERS": "2"}
    return {name: value for name, value in added.items() if not env.get(name)}


def connections_needed(replicas: int, web_workers: int) -> int:
    """Each replica's pool (SQL_POOL_SIZE + SQL_MAX_OVERFLOW, run_all's defaults unless set),
    a few per web worker (forget, retention, insights), and room for psql."""
    per_replica = sum(int(os.environ.get(name, default))
                      for name, default in run_all.SQL_POOL_DEFAULTS.items())
    return replicas * per_replica + web_workers * 5 + 10


def main() -> int:
    VAR.mkdir(mode=0o700, parents=True, exist_ok=True)
    # As root, PostgreSQL runs as the postgres user, who must pass through var/ to reach
    # var/postgres (its own folder, 0700). 0711: others may pass, never list or read.
    var_mode = 0o711 if os.geteuid() == 0 else 0o700
    VAR.chmod(var_mode)
    secret = passwords()
    try:
        ports = run_all.Ports.from_env({**os.environ, "RASA_REPLICAS":
                                        os.environ.get("RASA_REPLICAS") or "2",
                                        "WEB_WORKERS": os.environ.get("WEB_WORKERS") or "2"})
    except ValueError as error:
        print(error, file=sys.stderr)
        return 1
    postgres = ThrowawayPostgres(folder=VAR / "postgres",
                                 port=int(os.environ.get("S117_LOCAL_POSTGRES_PORT", "55432")),
                                 password=secret["postgres"], keep=True,
                                 max_connections=connections_needed(ports.replicas,
                                                                    ports.web_workers))
    redis = ThrowawayRedis(folder=VAR / "redis",
                           port=int(os.environ.get("S117_LOCAL_REDIS_PORT", "56379")),
                           password=secret["redis"], keep=True)
    try:
        print(f"Starting PostgreSQL on 127.0.0.1:{postgres.port} (data in var/postgres)…",
              flush=True)
        postgres.start()
        for database in (TRACKER_DATABASE, INSIGHTS_DATABASE):
            postgres.create_database(database)
        print(f"Starting Redis on 127.0.0.1:{redis.port} (data in var/redis)…", flush=True)
        redis.start()
        os.environ.update(scaled_environment(postgres, redis, dict(os.environ)))
        return run_all.main(var_mode=var_mode)
    except (PostgresUnavailable, RedisUnavailable) as error:
        print(f"The scaled mode could not start: {error}", file=sys.stderr)
        return 1
    finally:
        redis.stop()
        postgres.stop()


if __name__ == "__main__":
    sys.exit(main())
