"""Rate limits shared through a real Redis (web/ratelimit.py), and the lock store that
endpoints.yml loads (rasa_extensions/lock_store.py), on a throw-away Redis server.

Fails, never skips, when Redis cannot be started (scripts/ensure-redis.sh installs it).
"""

from __future__ import annotations

import asyncio

import pytest
import redis
from fastapi.testclient import TestClient

from rasa_extensions.lock_store import ConfiguredLockStore, redis_arguments
from scripts.throwaway_redis import ThrowawayRedis
from web.app import create_app
from web.ratelimit import RateLimiter, SharedRateLimiter, make_limiter
from web.settings import Settings

from tests.web.conftest import SECRET, FakeRasa


@pytest.fixture(scope="module")
def real_redis():
    server = ThrowawayRedis().start()
    yield server
    server.stop()


def test_the_limit_is_shared_by_two_limiters_as_two_web_processes_would(real_redis):
    async def run() -> list[bool]:
        first = SharedRateLimiter(real_redis.url(), SECRET, "conversation", per_minute=5)
        second = SharedRateLimiter(real_redis.url(), SECRET, "conversation", per_minute=5)
        results = []
        for n in range(8):
            results.append(await (first if n % 2 else second).check("conv:shared"))
        results.append(await first.check("conv:another"))
        await first.aclose()
        await second.aclose()
        return results
    results = asyncio.run(run())
    assert results[:8] == [True] * 5 + [False] * 3
    assert results[8] is True  # another conversation has its own count


def test_two_web_apps_on_one_redis_share_the_conversation_limit(real_redis, tmp_path):
    """Two create_app() instances are two web workers: alternating between them, the 4th
    message of one conversation is refused. Counted per process it would not be."""
    fake = FakeRasa()
    settings = Settings(secret_key=SECRET, rate_limit_per_minute=3,
                        rate_limit_per_ip_per_minute=100, lock_store_url=real_redis.url(3),
                        tracker_db=str(tmp_path / "t.db"), insights_db=str(tmp_path / "i.db"))
    with TestClient(create_app(settings, rasa_transport=fake.transport())) as one, \
            TestClient(create_app(settings, rasa_transport=fake.transport())) as two:
        session = one.post("/api/chat", json={"message": "hello"}).json()["session"]
        codes = [(two if n % 2 == 0 else one).post(
            "/api/chat", json={"message": "hello", "session": session}).status_code
            for n in range(3)]
    assert codes == [200, 200, 429]


def test_redis_holds_no_address_or_conversation_id(real_redis):
    async def run() -> list[bytes]:
        limiter = SharedRateLimiter(real_redis.url(4), SECRET, "address", per_minute=5)
        await limiter.check("ip:203.0.113.7")
        await limiter.aclose()
        client = redis.Redis.from_url(real_redis.url(4))
        keys = client.keys("*")
        values = [m for key in keys for m in client.zrange(key, 0, -1)]
        client.close()
        return keys + values
    stored = b" ".join(asyncio.run(run()))
    assert stored.startswith(b"s117:rate:address:")
    assert b"203.0.113.7" not in stored


def test_when_redis_stops_answering_the_limit_is_counted_in_this_process(caplog):
    async def run() -> list[bool]:
        limiter = SharedRateLimiter("redis://:x@127.0.0.1:9/1", SECRET, "conversation",
                                    per_minute=2, timeout=0.2)
        results = [await limiter.check("conv:x") for _ in range(3)]
        await limiter.aclose()
        return results
    assert asyncio.run(run()) == [True, True, False]
    warnings = [r.getMessage() for r in caplog.records if "rate limit" in r.getMessage()]
    assert len(warnings) == 1 and "ConnectionError" in warnings[0]


def test_without_redis_the_limit_is_per_process():
    assert isinstance(make_limiter(5, "conversation"), RateLimiter)


def test_the_lock_store_is_redis_with_a_url_and_in_memory_without(real_redis):
    class Endpoint:
        def __init__(self, url):
            self.url = url
    assert ConfiguredLockStore(Endpoint("")).kind == "in memory"
    assert ConfiguredLockStore(None).kind == "in memory"
    store = ConfiguredLockStore(Endpoint(real_redis.url(2)))
    assert store.kind == "redis"
    lock = store.create_lock("conv-1")
    ticket = lock.issue_ticket(60)
    store.save_lock(lock)
    assert store.get_lock("conv-1").now_serving == ticket
    client = redis.Redis.from_url(real_redis.url(2))
    assert client.keys("s117:*")  # in Redis, under our prefix
    client.close()
    store.delete_lock("conv-1")
    assert store.get_lock("conv-1") is None


def test_lock_store_url_is_parsed_and_checked():
    assert redis_arguments("rediss://user:p%40ss@cache.internal:6380/3") == {
        "host": "cache.internal", "port": 6380, "db": 3, "username": "user",
        "password": "p@ss", "use_ssl": True, "key_prefix": "s117"}
    assert redis_arguments("redis://:pw@h")["db"] == 1
    for bad in ("http://h:6379", "redis://", "redis://:pw@h/one"):
        with pytest.raises(ValueError, match="LOCK_STORE_URL"):
            redis_arguments(bad)


def test_endpoints_yml_loads_the_configured_lock_store(real_redis, monkeypatch):
    from pathlib import Path

    from rasa.core.lock_store import LockStore
    from rasa.core.utils import read_endpoints_from_path

    root = Path(__file__).resolve().parents[2]
    for url, kind in ((real_redis.url(), "redis"), ("", "in memory")):
        for name, value in {"LOCK_STORE_URL": url, "TRACKER_STORE_URL": "",
                            "TRACKER_DB": "x.db", "ACTION_SERVER_URL": "http://127.0.0.1:1"
                            }.items():
            monkeypatch.setenv(name, value)
        store = LockStore.create(read_endpoints_from_path(root / "endpoints.yml").lock_store)
        assert isinstance(store, ConfiguredLockStore) and store.kind == kind
