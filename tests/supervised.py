"""The assistant started as `make run` starts it, watched by its supervisor in a thread (so a
killed process is restarted), for the test layers that break processes on purpose."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Iterator

from scripts.run_all import Assistant


@contextmanager
def supervised(assistant: Assistant, limit_seconds: float = 300) -> Iterator[Assistant]:
    assistant.start(announce=lambda line: None)
    stop = threading.Event()
    watcher = threading.Thread(target=assistant.supervise, args=(stop.is_set,), daemon=True)
    try:
        assistant.wait_until_answering(limit_seconds=limit_seconds)
        watcher.start()
        yield assistant
    finally:
        stop.set()
        if watcher.is_alive():
            watcher.join(timeout=10)
        assistant.stop()
