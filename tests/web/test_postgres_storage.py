"""Retention and "Delete my conversation" on a real PostgreSQL, as the scaled mode keeps them.

A throw-away server (scripts/throwaway_postgres.py); the rows are written by Rasa's own
SQLTrackerStore with dialect postgresql. If PostgreSQL cannot be started the tests fail and say
why: they are never skipped.
"""

from __future__ import annotations

import asyncio
import time

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from scripts.throwaway_postgres import USER, ThrowawayPostgres
from web.forget import delete_conversation
from web.retention import INDEX_NAME, delete_idle_conversations, kept_seconds

DAY = 86_400
NOW = time.time()
DOMAIN = Domain.from_yaml("slots:\n  role:\n    type: text\n    mappings: []\n")


@pytest.fixture(scope="module")
def postgres():
    server = ThrowawayPostgres()
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture
def database(postgres, request):
    name = "t_" + request.node.name.lower().replace("[", "_").replace("]", "")[:40]
    return postgres, name, postgres.create_database(name)


def store_conversations(postgres: ThrowawayPostgres, name: str,
                        ages: dict[str, list[float]]) -> None:
    store = SQLTrackerStore(DOMAIN, dialect="postgresql", host="127.0.0.1", port=postgres.port,
                            db=name, username=USER, password=postgres.password)
    for sender, event_ages in ages.items():
        tracker = DialogueStateTracker(sender, DOMAIN.slots)
        for age in sorted(event_ages, reverse=True):
            tracker.update(UserUttered("a canary message", timestamp=NOW - age))
            tracker.update(ActionExecuted("action_listen", timestamp=NOW - age))
        tracker.update(SlotSet("role", "carer", timestamp=NOW - min(event_ages)))
        asyncio.run(store.save(tracker))
    store.engine.dispose()


def senders(url: str) -> set[str]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            return {row[0] for row in connection.execute(sa.text("SELECT sender_id FROM events"))}
    finally:
        engine.dispose()


def test_retention_on_postgresql(database):
    postgres, name, url = database
    store_conversations(postgres, name, {"old": [40 * DAY], "recent": [DAY],
                                         "came-back": [60 * DAY, 2 * DAY]})
    purge = delete_idle_conversations(url, kept_seconds(30), now=NOW)
    assert senders(url) == {"recent", "came-back"}
    assert (purge.conversations, purge.rows) == (1, 3)
    engine = sa.create_engine(url)
    names = {index["name"] for index in sa.inspect(engine).get_indexes("events")}
    engine.dispose()
    assert INDEX_NAME in names


def test_forget_on_postgresql(database):
    postgres, name, url = database
    store_conversations(postgres, name, {"mine": [60, 30], "someone-else": [60]})
    assert delete_conversation(url, "mine") == 5
    assert senders(url) == {"someone-else"}


def test_the_server_listens_on_loopback_only_with_a_password(postgres):
    engine = sa.create_engine(postgres.url().replace(postgres.password, "wrong-password"))
    with pytest.raises(sa.exc.OperationalError, match="password authentication failed"):
        with engine.connect():
            pass
    engine.dispose()
    with open("/proc/net/tcp") as table:
        hosts = {line.split()[1].split(":")[0] for line in table.readlines()[1:]
                 if line.split()[3] == "0A" and int(line.split()[1].split(":")[1], 16)
                 == postgres.port}
    assert hosts == {"0100007F"}


def test_insights_counts_and_comments_on_postgresql(database):
    """The scaled mode's insights store: two web processes adding at once both count."""
    import datetime as dt
    from collections import Counter
    from concurrent.futures import ThreadPoolExecutor

    from bot.insights import InsightsStore

    postgres, name, url = database
    day = dt.date(2026, 12, 2)
    stores = [InsightsStore(url), InsightsStore(url)]
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(lambda i: stores[i % 2].add(Counter({("answer", "utter_charging"): 1}),
                                                  day), range(40)))
    assert stores[0].counts(day) == [(day, "answer", "utter_charging", 40)]
    when = dt.datetime(2026, 12, 2, 9, 0)
    stores[1].add_comment("utter_charging", ["other"], "ring 0300 123 4567", when)
    assert [c.comment for c in stores[0].comments(day)] == ["ring [number removed]"]
    assert stores[0].delete_comments_before(when.timestamp() + 1) == 1
    for store in stores:
        store.close()


def test_endpoints_yml_takes_the_tracker_store_url_with_small_pools(database, monkeypatch):
    """TRACKER_STORE_URL alone switches Rasa to PostgreSQL, with the pool run_all sizes."""
    from pathlib import Path

    from rasa.core.tracker_store import TrackerStore
    from rasa.core.utils import read_endpoints_from_path

    from rasa_extensions.guarded_tracker_store import GuardedSQLTrackerStore

    _, name, url = database
    monkeypatch.setenv("TRACKER_STORE_URL", url)
    monkeypatch.setenv("TRACKER_DB", "ignored.db")
    monkeypatch.setenv("LOCK_STORE_URL", "")
    monkeypatch.setenv("ACTION_SERVER_URL", "http://127.0.0.1:1/webhook")
    monkeypatch.setenv("SQL_POOL_SIZE", "10")
    monkeypatch.setenv("SQL_MAX_OVERFLOW", "10")
    endpoints = read_endpoints_from_path(Path(__file__).resolve().parents[2] / "endpoints.yml")
    store = TrackerStore.create(endpoints.tracker_store, domain=DOMAIN)
    try:
        assert isinstance(store, GuardedSQLTrackerStore)
        assert store.engine.dialect.name == "postgresql"
        assert store.engine.url.database == name
        assert (store.engine.pool.size(), store.engine.pool._max_overflow) == (10, 10)
        assert not Path("ignored.db").exists()
    finally:
        store.engine.dispose()
