"""A small per-key sliding-window rate limit, kept in this process's memory.

Enough to stop one browser or script flooding Rasa. With several web processes each keeps its
own count, so the effective limit is per process (see README "Scaling out").
"""

from __future__ import annotations

import time
from collections import deque


class RateLimiter:
    def __init__(self, per_minute: int, max_keys: int = 50_000) -> None:
        self.per_minute = per_minute
        self.max_keys = max_keys
        self._hits: dict[str, deque[float]] = {}

    def allow(self, key: str, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        window_start = now - 60.0
        hits = self._hits.get(key)
        if hits is None:
            if len(self._hits) >= self.max_keys:
                self._forget_idle(window_start)
            hits = self._hits[key] = deque()
        while hits and hits[0] <= window_start:
            hits.popleft()
        if len(hits) >= self.per_minute:
            return False
        hits.append(now)
        return True

    def _forget_idle(self, window_start: float) -> None:
        for key in [k for k, hits in self._hits.items() if not hits or hits[-1] <= window_start]:
            del self._hits[key]
        if len(self._hits) >= self.max_keys:  # still full: drop the oldest half
            for key in list(self._hits)[: self.max_keys // 2]:
                del self._hits[key]
