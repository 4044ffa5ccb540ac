"""`make bench`: latency, throughput and memory of a running assistant (start it with make run).

For 1 and 10 concurrent conversations it sends the same questions two ways, through the web
backend (POST /api/chat) and straight to Rasa's REST channel, and prints p50/p95 turn latency,
turns per second and the web/Rasa ratio, then the resident memory (now and peak) of the three
processes. Loopback only; every loop is bounded by a count.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import statistics
import time
from pathlib import Path

import httpx

QUESTIONS = [
    "what is section 117", "are you a real person", "what can I ask", "hello",
    "wat is 117 aftacare", "tell me more", "whats the weather", "what is aftercare",
]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


async def web_conversation(client: httpx.AsyncClient, base: str, turns: int) -> list[float]:
    latencies, session = [], None
    for turn in range(turns):
        body = {"message": QUESTIONS[turn % len(QUESTIONS)]}
        if session:
            body["session"] = session
        started = time.perf_counter()
        response = await client.post(f"{base}/api/chat", json=body)
        latencies.append(time.perf_counter() - started)
        response.raise_for_status()
        session = response.json()["session"]
    return latencies


async def rasa_conversation(client: httpx.AsyncClient, base: str, turns: int) -> list[float]:
    latencies, sender = [], f"bench-{secrets.token_hex(8)}"
    for turn in range(turns):
        started = time.perf_counter()
        response = await client.post(f"{base}/webhooks/rest/webhook",
                                     json={"sender": sender,
                                           "message": QUESTIONS[turn % len(QUESTIONS)]})
        latencies.append(time.perf_counter() - started)
        response.raise_for_status()
    return latencies


async def measure(kind: str, base: str, conversations: int, turns: int) -> dict[str, float]:
    conversation = web_conversation if kind == "web" else rasa_conversation
    limits = httpx.Limits(max_connections=conversations + 2)
    async with httpx.AsyncClient(timeout=30, limits=limits) as client:
        await conversation(client, base, 2)  # warm-up, not counted
        started = time.perf_counter()
        results = await asyncio.gather(*(conversation(client, base, turns)
                                         for _ in range(conversations)))
        elapsed = time.perf_counter() - started
    latencies = [value for result in results for value in result]
    return {"p50": percentile(latencies, 0.50) * 1000, "p95": percentile(latencies, 0.95) * 1000,
            "mean": statistics.mean(latencies) * 1000, "tps": len(latencies) / elapsed,
            "turns": len(latencies)}


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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--web", default=f"http://127.0.0.1:{os.environ.get('WEB_PORT', '8000')}")
    parser.add_argument("--rasa",
                        default=f"http://127.0.0.1:{os.environ.get('RASA_PORT', '5005')}")
    parser.add_argument("--turns", type=int, default=20, help="turns per conversation")
    args = parser.parse_args()
    try:
        httpx.get(f"{args.web}/healthz", timeout=3).raise_for_status()
    except httpx.HTTPError:
        print(f"No assistant answering at {args.web}. Start it first with `make run`.")
        return 1

    print(f"{args.turns} turns per conversation, questions cycled from a list of "
          f"{len(QUESTIONS)}; latency in ms\n")
    header = f"{'path':<6}{'conv':>5}{'turns':>7}{'p50':>9}{'p95':>9}{'mean':>9}{'turns/s':>9}"
    print(header + f"{'p50 web/rasa':>14}")
    print("-" * (len(header) + 14))
    for conversations in (1, 10):
        rasa = asyncio.run(measure("rasa", args.rasa, conversations, args.turns))
        web = asyncio.run(measure("web", args.web, conversations, args.turns))
        for name, row in (("rasa", rasa), ("web", web)):
            ratio = f"{web['p50'] / rasa['p50']:.2f}" if name == "web" else ""
            print(f"{name:<6}{conversations:>5}{row['turns']:>7}{row['p50']:>9.1f}"
                  f"{row['p95']:>9.1f}{row['mean']:>9.1f}{row['tps']:>9.1f}{ratio:>14}")

    ports = {"web server": int(args.web.rsplit(":", 1)[1]),
             "Rasa server": int(args.rasa.rsplit(":", 1)[1]),
             "action server": int(os.environ.get("ACTIONS_PORT", "5055"))}
    print(f"\n{'process':<15}{'pid':>8}{'RSS MiB':>10}{'peak MiB':>10}")
    for name, port in ports.items():
        pids = listening_pids(port)
        if not pids:
            print(f"{name:<15}{'-':>8}  (not found on port {port})")
        for pid in sorted(pids):
            rss, peak = memory_mib(pid)
            print(f"{name:<15}{pid:>8}{rss:>10.0f}{peak:>10.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
