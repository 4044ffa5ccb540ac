"""Sliding-window rate limits: in this process's memory, or shared through Redis.

Enough to stop one browser or script flooding Rasa. With one web process the counts live in
memory (RateLimiter). With several web processes or machines each would count alone, so when
LOCK_STORE_URL names a Redis server the counts live there (SharedRateLimiter) and every process
counts against the same limit. Both have `await check(key)`.

What is stored in Redis is an HMAC of the key (the key holds an IP address or a conversation
id), never the key itself. If Redis stops answering, the limit falls back to this process's
count and says so once in the log: a failing counter must not stop people getting answers.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import time
from collections import deque

log = logging.getLogger("s117.web")

WINDOW_SECONDS = 60


class RateLimiter:
    def __init__(self, per_minute: int, max_keys: int = 50_000) -> None:
        self.per_minute = per_minute
        self.max_keys = max_keys
        self._hits: dict[str, deque[float]] = {}

    async def check(self, key: str) -> bool:
        return self.allow(key)

    def allow(self, key: str, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        window_start = now - WINDOW_SECONDS
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


# One atomic step in Redis, on Redis's own clock (so machines with skewed clocks agree):
# drop hits older than the window, refuse at the limit, else record this hit.
_SLIDING_WINDOW = """
local now = redis.call('TIME')
local micros = tonumber(now[1]) * 1000000 + tonumber(now[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', micros - tonumber(ARGV[2]))
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], micros, micros .. ':' .. ARGV[3])
redis.call('PEXPIRE', KEYS[1], math.floor(tonumber(ARGV[2]) / 1000) + 1000)
return 1
"""


class SharedRateLimiter:
    """The same limit as RateLimiter, counted in Redis for every web process at once."""

    def __init__(self, redis_url: str, secret: str, name: str, per_minute: int,
                 timeout: float = 0.5) -> None:
        import redis.asyncio

        self.per_minute = per_minute
        self.name = name
        self._secret = secret.encode()
        self._redis = redis.asyncio.from_url(redis_url, socket_timeout=timeout,
                                             socket_connect_timeout=timeout)
        self._script = self._redis.register_script(_SLIDING_WINDOW)
        self._fallback = RateLimiter(per_minute)
        self._failing = False

    def redis_key(self, key: str) -> str:
        digest = hmac.new(self._secret, key.encode(), hashlib.sha256).hexdigest()[:32]
        return f"s117:rate:{self.name}:{digest}"

    async def check(self, key: str) -> bool:
        import redis

        try:
            allowed = await self._script(keys=[self.redis_key(key)],
                                         args=[self.per_minute, WINDOW_SECONDS * 1_000_000,
                                               secrets.token_hex(6)])
        except (redis.RedisError, OSError) as error:
            if not self._failing:
                log.warning("rate limit: Redis failed (%s); counting in this process until it "
                            "answers again", type(error).__name__)
                self._failing = True
            return self._fallback.allow(key)
        if self._failing:
            log.info("rate limit: Redis answers again; counts are shared again")
            self._failing = False
        return bool(allowed)

    async def aclose(self) -> None:
        await self._redis.close()


def make_limiter(per_minute: int, name: str, redis_url: str = "", secret: str = ""):
    """Shared through Redis when a Redis URL is configured, else in this process's memory."""
    if redis_url:
        return SharedRateLimiter(redis_url, secret, name, per_minute)
    return RateLimiter(per_minute)
