"""`make bench`: latency, throughput and memory of a running assistant (start it with make run).

For 1, 10 and 50 concurrent conversations (no think time) it sends the same questions two ways,
through the web backend (POST /api/chat) and straight to Rasa's REST channel, and prints p50/p95
turn latency, turns per second and the web/Rasa ratio, then the resident memory (now and peak)
of the three processes. Then a load run: 50 conversations at once, each a person who starts,
tells a story and follows up with think time between messages, counting errors and empty
replies (both should be 0) beside the latency. Loopback only; every loop is bounded by a count.

By default it starts its own assistant as `make run` does (SQLite, free loopback ports, a
throw-away var folder, S117_TRUSTED_PROXIES=127.0.0.1 so each simulated person has an address
of their own), times its start-up to the first real answer, and stops it at the end; with
--running it measures the assistant already answering at --web and --rasa instead. Last, the
figures beside issue 15's targets, so the next change can be compared in one run.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import secrets
import statistics
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import httpx

QUESTIONS = [
    "what is section 117", "are you a real person", "what can I ask", "hello",
    "wat is 117 aftacare", "tell me more", "whats the weather", "what is aftercare",
]


# A person's visit in the load run: a story, then follow-ups in a few words.
VISIT = [
    "My son was on a section 3 and now lives in supported housing. The council has sent him a "
    "bill for his support. Should he be paying for this?",
    "what about his rent", "can he get a direct payment", "who do I complain to",
    "I live in Kent", "thank you",
]


SINGLE_ROUNDS = 5  # conversations one after another in the one-conversation row

RATE_LIMITED = ("The web backend rate limited the benchmark (429): every simulated person came "
                "from 127.0.0.1. Start the assistant with S117_TRUSTED_PROXIES=127.0.0.1 so each "
                "counts as their own address (make bench without --running does this itself).")

# Issue 15's targets: (what, the row's key, the figure's key, goal, "<=" or ">=").
TARGETS = [
    ("start-up with a trained model, s", "startup", "seconds", 15.0, "<="),
    ("one conversation, p50 per turn via /api/chat, ms", ("web", 1), "p50", 30.0, "<="),
    ("saturation, Rasa REST, SQLite store, turns/s", "rasa saturation", "tps", 40.0, ">="),
    ("50 conversations at once, p95 via /api/chat, ms", ("web", 50), "p95", 1500.0, "<="),
]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


async def web_conversation(client: httpx.AsyncClient, base: str, turns: int,
                           person: int = 0) -> list[float]:
    latencies, session = [], None
    # One (documentation-range) address per conversation, as in the load run below: 50 at
    # once from one address would be rate limited, not measured.
    headers = {"X-Forwarded-For": f"198.51.100.{person % 250 + 1}"}
    for turn in range(turns):
        body = {"message": QUESTIONS[turn % len(QUESTIONS)]}
        if session:
            body["session"] = session
        started = time.perf_counter()
        response = await client.post(f"{base}/api/chat", json=body, headers=headers)
        latencies.append(time.perf_counter() - started)
        response.raise_for_status()
        session = response.json()["session"]
    return latencies


async def rasa_conversation(client: httpx.AsyncClient, base: str, turns: int,
                            person: int = 0) -> list[float]:
    latencies, sender = [], f"bench-{secrets.token_hex(8)}"
    for turn in range(turns):
        started = time.perf_counter()
        response = await client.post(f"{base}/webhooks/rest/webhook",
                                     json={"sender": sender,
                                           "message": QUESTIONS[turn % len(QUESTIONS)]})
        latencies.append(time.perf_counter() - started)
        response.raise_for_status()
    return latencies


async def measure(kind: str, base: str, conversations: int, turns: int,
                  transport: httpx.AsyncBaseTransport | None = None,
                  rounds: int = 1) -> dict[str, float]:
    """`conversations` at once, `rounds` times one after another (new conversations each
    round), after a 2-turn warm-up that is not counted."""
    conversation = web_conversation if kind == "web" else rasa_conversation
    limits = httpx.Limits(max_connections=conversations + 2)
    results: list[list[float]] = []
    async with httpx.AsyncClient(timeout=30, limits=limits, transport=transport) as client:
        await conversation(client, base, 2)  # warm-up, not counted
        started = time.perf_counter()
        for _ in range(rounds):
            results += await asyncio.gather(*(conversation(client, base, turns, person)
                                              for person in range(conversations)))
        elapsed = time.perf_counter() - started
    latencies = [value for result in results for value in result]
    return {"p50": percentile(latencies, 0.50) * 1000, "p95": percentile(latencies, 0.95) * 1000,
            "mean": statistics.mean(latencies) * 1000, "tps": len(latencies) / elapsed,
            "turns": len(latencies)}


async def visit(client: httpx.AsyncClient, base: str, rng: random.Random,
                think: tuple[float, float], counts: dict[str, int], person: int) -> list[float]:
    latencies = []
    # Each person from their own (documentation-range) address, as behind a trusted proxy; the
    # header is ignored unless the assistant runs with S117_TRUSTED_PROXIES=127.0.0.1.
    headers = {"X-Forwarded-For": f"198.51.100.{person % 250 + 1}"}
    await asyncio.sleep(rng.uniform(0, think[1]))  # people arrive spread out, not all at once
    session = None
    for turn, message in enumerate(["/start", *VISIT]):
        started = time.perf_counter()
        try:
            if message == "/start":
                response = await client.post(f"{base}/api/start", json={}, headers=headers)
            else:
                response = await client.post(f"{base}/api/chat", headers=headers,
                                             json={"message": message, "session": session})
            latencies.append(time.perf_counter() - started)
            if response.status_code == 429:
                counts["rate limited"] += 1
                continue
            if response.status_code != 200:
                counts["errors"] += 1
                continue
            body = response.json()
            session = body.get("session", session)
            messages = body.get("messages") or []
            if not messages or not any(m.get("text") for m in messages):
                counts["empty"] += 1
            elif (messages[0].get("custom") or {}).get("kind") == "error":
                counts["cannot answer"] += 1
        except (httpx.HTTPError, ValueError):
            latencies.append(time.perf_counter() - started)
            counts["errors"] += 1
        if turn < len(VISIT):
            await asyncio.sleep(rng.uniform(*think))
    return latencies


async def load(base: str, conversations: int, think: tuple[float, float],
               seed: int = 117) -> dict[str, float]:
    counts = {"errors": 0, "empty": 0, "cannot answer": 0, "rate limited": 0}
    rng = random.Random(seed)
    limits = httpx.Limits(max_connections=conversations + 2)
    async with httpx.AsyncClient(timeout=30, limits=limits) as client:
        started = time.perf_counter()
        results = await asyncio.gather(*(visit(client, base, random.Random(rng.random()), think,
                                               counts, person)
                                         for person in range(conversations)))
        elapsed = time.perf_counter() - started
    latencies = [value for result in results for value in result]
    return {"p50": percentile(latencies, 0.50) * 1000, "p95": percentile(latencies, 0.95) * 1000,
            "max": max(latencies) * 1000, "tps": len(latencies) / elapsed,
            "turns": len(latencies), "seconds": elapsed, **counts}


def listening_pids(port: int) -> set[int]:
    """PIDs holding a listening socket on `port` (read from /proc, no extra packages)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:
                inodes.add(fields[9])
    pids = set()
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            for fd in (proc / "fd").iterdir():
                target = os.readlink(fd)
                if target.startswith("socket:[") and target[8:-1] in inodes:
                    pids.add(int(proc.name))
                    break
        except OSError:
            continue
    return pids


def memory_mib(pid: int) -> tuple[float, float]:
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0]) / 1024
    return values.get("VmRSS", 0.0), values.get("VmHWM", 0.0)


@contextmanager
def own_assistant() -> Iterator[tuple[str, str, int, float]]:
    """The assistant started as `make run` starts it, on free ports: (web, rasa, actions port,
    seconds from start to the first real answer)."""
    from scripts.environ import overridden
    from scripts.ports import free_ports
    from scripts.run_all import ROOT, Assistant, Ports

    settings = {"S117_TRUSTED_PROXIES": "127.0.0.1", "TRACKER_STORE_URL": "",
                "LOCK_STORE_URL": ""}
    with tempfile.TemporaryDirectory(prefix="s117-bench-") as var, overridden(settings):
        ports = Ports(web=free_ports(1), rasa=free_ports(1), actions=free_ports(1))
        assistant = Assistant(ports, model=ROOT / "models" / "current.tar.gz", var_dir=Path(var))
        started = time.perf_counter()
        assistant.start(announce=lambda line: None)
        try:
            assistant.wait_until_answering(limit_seconds=420)
            startup = time.perf_counter() - started
            yield (f"http://127.0.0.1:{ports.web}", f"http://127.0.0.1:{ports.rasa}",
                   ports.actions, startup)
        finally:
            assistant.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--running", action="store_true",
                        help="measure the assistant already running at --web and --rasa")
    parser.add_argument("--web", default=f"http://127.0.0.1:{os.environ.get('WEB_PORT', '8000')}")
    parser.add_argument("--rasa",
                        default=f"http://127.0.0.1:{os.environ.get('RASA_PORT', '5005')}")
    parser.add_argument("--turns", type=int, default=20, help="turns per conversation")
    parser.add_argument("--load-conversations", type=int, default=50)
    parser.add_argument("--think", type=float, nargs=2, default=(10.0, 30.0),
                        metavar=("MIN", "MAX"),
                        help="seconds a person takes to read an answer and type the next message")
    parser.add_argument("--load-only", action="store_true", help="only the load run")
    parser.add_argument("--no-load", action="store_true", help="skip the load run")
    args = parser.parse_args()
    if args.running:
        try:
            httpx.get(f"{args.web}/healthz", timeout=3).raise_for_status()
        except httpx.HTTPError:
            print(f"No assistant answering at {args.web}. Start it first with `make run`.")
            return 1
        return measure_all(args, int(os.environ.get("ACTIONS_PORT", "5055")), startup=None)
    with own_assistant() as (web, rasa, actions_port, startup):
        args.web, args.rasa = web, rasa
        print(f"Started the assistant (as make run does) in {startup:.1f} s: "
              f"web {web}, Rasa {rasa}\n")
        return measure_all(args, actions_port, startup)


def measure_all(args, actions_port: int, startup: float | None) -> int:
    rows: dict = {"startup": {"seconds": startup}} if startup is not None else {}
    if not args.load_only:
        try:
            rows.update(latency_table(args))
        except httpx.HTTPStatusError as error:
            if error.response.status_code != 429:
                raise
            print(f"\n{RATE_LIMITED}")
            return 1
    status = 0
    if not args.no_load:
        status = load_table(args)
    memory_table(args, actions_port)
    targets_table(rows)
    return status


def load_table(args) -> int:
    row = asyncio.run(load(args.web, args.load_conversations, tuple(args.think)))
    print(f"\nload: {args.load_conversations} conversations at once through the web backend, "
          f"{len(VISIT) + 1} turns each (a story, then follow-ups), "
          f"{args.think[0]:.0f}-{args.think[1]:.0f} s think time")
    print(f"{'turns':>7}{'seconds':>9}{'p50':>9}{'p95':>9}{'max':>9}{'turns/s':>9}"
          f"{'errors':>8}{'empty':>7}{'cannot answer':>15}{'rate limited':>14}")
    print(f"{row['turns']:>7}{row['seconds']:>9.1f}{row['p50']:>9.1f}{row['p95']:>9.1f}"
          f"{row['max']:>9.1f}{row['tps']:>9.1f}{row['errors']:>8}{row['empty']:>7}"
          f"{row['cannot answer']:>15}{row['rate limited']:>14}")
    if row["rate limited"]:
        print(RATE_LIMITED)
    return 0 if row["errors"] == 0 and row["empty"] == 0 else 1


def targets_table(rows: dict) -> None:
    print(f"\n{'issue 15 target':<52}{'now':>10}{'goal':>10}  met")
    for name, key, figure, goal, sense in TARGETS:
        value = (rows.get(key) or {}).get(figure)
        if value is None:
            print(f"{name:<52}{'-':>10}{sense + ' ' + format(goal, 'g'):>10}  (not measured)")
            continue
        met = value <= goal if sense == "<=" else value >= goal
        print(f"{name:<52}{value:>10.1f}{sense + ' ' + format(goal, 'g'):>10}  "
              f"{'yes' if met else 'NO'}")


def latency_table(args) -> dict:
    print(f"{args.turns} turns per conversation, no think time, questions cycled from a list of "
          f"{len(QUESTIONS)}; the 1-conversation rows are {SINGLE_ROUNDS} conversations one "
          f"after another; latency in ms\n")
    header = f"{'path':<6}{'conv':>5}{'turns':>7}{'p50':>9}{'p95':>9}{'mean':>9}{'turns/s':>9}"
    print(header + f"{'p50 web/rasa':>14}")
    print("-" * (len(header) + 14))
    rows: dict = {}
    for conversations in (1, 10, 50):
        # One conversation's 20 turns are too few for a steady median on this machine: that
        # row is SINGLE_ROUNDS conversations one after another.
        rounds = SINGLE_ROUNDS if conversations == 1 else 1
        rasa = asyncio.run(measure("rasa", args.rasa, conversations, args.turns, rounds=rounds))
        web = asyncio.run(measure("web", args.web, conversations, args.turns, rounds=rounds))
        rows[("rasa", conversations)], rows[("web", conversations)] = rasa, web
        for name, row in (("rasa", rasa), ("web", web)):
            ratio = f"{web['p50'] / rasa['p50']:.2f}" if name == "web" else ""
            print(f"{name:<6}{conversations:>5}{row['turns']:>7}{row['p50']:>9.1f}"
                  f"{row['p95']:>9.1f}{row['mean']:>9.1f}{row['tps']:>9.1f}{ratio:>14}")
    # Saturation: the most turns a second Rasa gave at any of the three loads.
    rows["rasa saturation"] = {"tps": max(rows[("rasa", n)]["tps"] for n in (1, 10, 50))}
    return rows


def memory_table(args, actions_port: int) -> None:
    ports = {"web server": int(args.web.rsplit(":", 1)[1]),
             "Rasa server": int(args.rasa.rsplit(":", 1)[1]),
             "action server": actions_port}
    print(f"\n{'process':<15}{'pid':>8}{'RSS MiB':>10}{'peak MiB':>10}")
    for name, port in ports.items():
        pids = listening_pids(port)
        if not pids:
            print(f"{name:<15}{'-':>8}  (not found on port {port})")
        for pid in sorted(pids):
            rss, peak = memory_mib(pid)
            print(f"{name:<15}{pid:>8}{rss:>10.0f}{peak:>10.0f}")


if __name__ == "__main__":
    raise SystemExit(main())
