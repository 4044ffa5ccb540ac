"""Where a turn's time goes in the Rasa server: py-spy for 15 s under 10 conversations at once.

Starts the assistant as `make run` does (SQLite, free loopback ports), keeps 10 conversations
sending through the web backend with no think time, records the Rasa server with py-spy, and
counts each sample once, in the first group below that its stack matches. py-spy is not one of
the project's dependencies: install it anywhere (`pip install py-spy`) and pass its path.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from benchmarks.bench import measure
from scripts.environ import overridden
from scripts.ports import free_ports
from scripts.run_all import ROOT, Assistant, Ports

# Checked in this order: the specific ones first, the NLU graph's catch-all late.
GROUPS = [
    ("validating action results (jsonschema)", ["jsonschema/"]),
    ("logging (structlog, logging)", ["structlog/", "logging/__init__.py"]),
    ("building the action call (tracker state, the domain as JSON)",
     ["_action_call_format", "as_dict (rasa/shared/core/domain.py"]),
    ("HTTP to the action server and reading its reply", ["rasa/utils/endpoints.py", "aiohttp/"]),
    ("reading the tracker from SQLite", ["retrieve (rasa/core/tracker_store.py",
                                         "_retrieve (rasa/core/tracker_store.py"]),
    ("saving events to SQLite", ["save (rasa/core/tracker_store.py", "save (rasa_extensions/"]),
    ("dialogue policies (rules, memoization, TED)", ["rasa/core/policies/"]),
    ("NLU: DIET in TensorFlow", ["tensorflow/", "keras/"]),
    ("NLU: the sentence encoder", ["bot/encoder.py", "dense_features"]),
    ("NLU: spaCy and our components", ["spacy/", "nlu_components/", "bot/"]),
    ("NLU: the rest of the graph", ["rasa/nlu/", "rasa/engine/"]),
    ("tracker and event handling", ["rasa/shared/core/", "rasa/core/processor.py"]),
]


def groups_of(raw: str) -> tuple[int, collections.Counter]:
    """py-spy's raw format: one line per stack, `frame;frame;... count`."""
    counts: collections.Counter = collections.Counter()
    total = 0
    for line in raw.splitlines():
        stack, _, number = line.rpartition(" ")
        if not number.isdigit():
            continue
        total += int(number)
        name = next((name for name, keys in GROUPS if any(k in stack for k in keys)),
                    "other (Sanic, the event loop, idle)")
        counts[name] += int(number)
    return total, counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--py-spy", required=True, help="path of the py-spy program")
    parser.add_argument("--seconds", type=int, default=15)
    args = parser.parse_args()
    settings = {"S117_RATE_LIMIT_PER_MINUTE": "100000",
                "S117_RATE_LIMIT_PER_IP_PER_MINUTE": "1000000",
                "TRACKER_STORE_URL": "", "LOCK_STORE_URL": ""}
    with tempfile.TemporaryDirectory(prefix="s117-profile-") as var, overridden(settings):
        assistant = Assistant(Ports(web=free_ports(1), rasa=free_ports(1),
                                    actions=free_ports(1)),
                              model=ROOT / "models" / "current.tar.gz", var_dir=Path(var))
        assistant.start(announce=lambda line: None)
        try:
            assistant.wait_until_answering(limit_seconds=420)
            base = f"http://127.0.0.1:{assistant.ports.web}"
            stop = threading.Event()

            def keep_sending() -> None:
                while not stop.is_set():
                    asyncio.run(measure("web", base, 10, 10))

            sender = threading.Thread(target=keep_sending)
            sender.start()
            time.sleep(3)  # past the warm-up
            output = Path(var) / "rasa.txt"
            subprocess.run([args.py_spy, "record", "--pid", str(assistant.pid("Rasa server")),
                            "--duration", str(args.seconds), "--rate", "100", "--format", "raw",
                            "--output", str(output), "--nonblocking"], check=True,
                           capture_output=True)
            stop.set()
            sender.join()
            total, counts = groups_of(output.read_text())
        finally:
            assistant.stop()
    print(f"{total} samples of the Rasa server, {args.seconds} s, 10 conversations at once")
    for name, number in counts.most_common():
        print(f"{number / total * 100:6.1f}%  {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
