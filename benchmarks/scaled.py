"""`make bench-scaled`: the scaled mode against the default, on this machine.

Starts each set-up in turn exactly as `make run` / `make run-scaled` start them
(scripts/run_all.Assistant), on free loopback ports with throw-away stores:

  SQLite, 1 replica          the default
  PostgreSQL, 1 replica      TRACKER_STORE_URL + LOCK_STORE_URL (Redis)
  PostgreSQL, 2 replicas     RASA_REPLICAS=2, the web backend routing by conversation
  PostgreSQL, 2 replicas, 2 web workers

and for each sends 10 and then 50 conversations at once with no think time through the web
backend (POST /api/chat, the path people use), printing turns per second and p50/p95 side by
side, then the memory of every process. Rate limits are raised for the run: every simulated
person comes from 127.0.0.1. Every loop is bounded by a count.
"""

from __future__ import annotations

import argparse
import asyncio
import os
from dataclasses import dataclass
from pathlib import Path

from benchmarks.bench import measure, memory_mib
from scripts.ports import free_ports
from scripts.environ import overridden
from scripts.run_all import ROOT, Assistant, Ports
from scripts.throwaway_postgres import ThrowawayPostgres
from scripts.throwaway_redis import ThrowawayRedis


@dataclass(frozen=True)
class SetUp:
    name: str
    scaled: bool
    replicas: int = 1
    web_workers: int = 1


SETUPS = [SetUp("SQLite 1 replica", False), SetUp("PostgreSQL 1 replica", True),
          SetUp("PostgreSQL 2 replicas", True, 2), SetUp("PG 2 replicas 2 web", True, 2, 2)]


def child_pids(pid: int) -> list[int]:
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                if int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(proc.name))
            except (OSError, ValueError, IndexError):
                continue
    return found


def memory_rows(assistant: Assistant) -> list[tuple[str, int, float, float]]:
    rows = []
    for name, child in assistant.supervisor.children.items():
        pids = [child.process.pid]
        if name == "web server":
            pids += child_pids(child.process.pid)  # uvicorn's workers
        for index, pid in enumerate(pids):
            try:
                rss, peak = memory_mib(pid)
            except OSError:
                continue
            label = name if index == 0 else f"  its process {index}"
            rows.append((label, pid, rss, peak))
    return rows


def store_memory(postgres: ThrowawayPostgres | None, redis: ThrowawayRedis | None
                 ) -> list[tuple[str, int, float, float]]:
    rows = []
    if redis is not None and redis.process is not None:
        rows.append(("Redis", redis.process.pid, *memory_mib(redis.process.pid)))
    if postgres is not None:
        pid_file = postgres.data / "postmaster.pid"
        if pid_file.exists():
            main = int(pid_file.read_text().split()[0])
            pids = [main, *child_pids(main)]
            rss = sum(memory_mib(p)[0] for p in pids if Path(f"/proc/{p}").exists())
            rows.append((f"PostgreSQL ({len(pids)} processes, shared memory counted in each)",
                         main, rss, float("nan")))
    return rows


def bench(setup: SetUp, model: Path, var_root: Path, turns: int) -> dict:
    settings = {"S117_RATE_LIMIT_PER_MINUTE": "100000",
                "S117_RATE_LIMIT_PER_IP_PER_MINUTE": "1000000",
                "TRACKER_STORE_URL": "", "LOCK_STORE_URL": "",
                "S117_INSIGHTS_DB": str(var_root / "insights.db")}
    postgres = redis = assistant = None
    try:
        if setup.scaled:
            postgres = ThrowawayPostgres(max_connections=100).start()
            redis = ThrowawayRedis().start()
            settings.update(TRACKER_STORE_URL=postgres.create_database("s117"),
                            LOCK_STORE_URL=redis.url(1),
                            S117_INSIGHTS_DB=postgres.create_database("s117_insights"))
        with overridden(settings):
            ports = Ports(web=free_ports(1), rasa=free_ports(setup.replicas),
                          actions=free_ports(setup.replicas), replicas=setup.replicas,
                          web_workers=setup.web_workers)
            assistant = Assistant(ports, model=model,
                                  var_dir=var_root / setup.name.replace(" ", "-"))
            assistant.start(announce=lambda line: None)
            assistant.wait_until_answering(limit_seconds=420)
            base = f"http://127.0.0.1:{ports.web}"
            results = {n: asyncio.run(measure("web", base, n, turns)) for n in (10, 50)}
            return {"load": results,
                    "memory": memory_rows(assistant) + store_memory(postgres, redis)}
    finally:
        if assistant is not None:
            assistant.stop()
        if redis is not None:
            redis.stop()
        if postgres is not None:
            postgres.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--turns", type=int, default=10, help="turns per conversation")
    parser.add_argument("--only", choices=[s.name for s in SETUPS], action="append")
    args = parser.parse_args()
    model = ROOT / "models" / "current.tar.gz"
    if not model.exists():
        print("No trained model. Run `make train` first (make bench-scaled does).")
        return 1
    import tempfile

    chosen = [s for s in SETUPS if not args.only or s.name in args.only]
    results = {}
    with tempfile.TemporaryDirectory(prefix="s117-bench-") as var_root:
        for setup in chosen:
            print(f"Measuring {setup.name}…", flush=True)
            results[setup.name] = bench(setup, model, Path(var_root), args.turns)

    width = 24
    print(f"\nThrough the web backend, no think time, {args.turns} turns per conversation, "
          f"{os.cpu_count()} cores; latency in ms\n")
    print(f"{'':<22}" + "".join(f"{name:>{width}}" for name in results))
    for conversations in (10, 50):
        for key, label in (("tps", "turns/s"), ("p50", "p50"), ("p95", "p95")):
            cells = "".join(f"{results[name]['load'][conversations][key]:>{width}.1f}"
                            for name in results)
            print(f"{f'{conversations} at once  {label}':<22}{cells}")
    print()
    for name, result in results.items():
        print(f"Memory, {name}:")
        for label, pid, rss, peak in result["memory"]:
            peak_text = "" if peak != peak else f"{peak:>8.0f} peak"  # nan: not meaningful
            print(f"  {label:<58}{rss:>7.0f} MiB{peak_text}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
