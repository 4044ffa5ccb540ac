"""The guarded tracker store: what endpoints.yml loads, and what it does when the database fails."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest
from rasa.core.tracker_store import TrackerStore
from rasa.core.utils import read_endpoints_from_path
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_extensions.guarded_tracker_store import (GuardedSQLTrackerStore,
                                                   TrackerStoreUnavailable, is_placeholder)

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = Domain.from_yaml("slots:\n  role:\n    type: text\n    mappings: []\n")


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("TRACKER_DB", str(tmp_path / "tracker.db"))
    monkeypatch.setenv("ACTION_SERVER_URL", "http://127.0.0.1:1/webhook")
    monkeypatch.setenv("TRACKER_STORE_URL", "")
    monkeypatch.setenv("LOCK_STORE_URL", "")
    endpoints = read_endpoints_from_path(ROOT / "endpoints.yml")
    created = TrackerStore.create(endpoints.tracker_store, domain=DOMAIN)
    yield created
    created.engine.dispose()


def a_carers_conversation(sender: str = "c1") -> DialogueStateTracker:
    tracker = DialogueStateTracker(sender, DOMAIN.slots)
    tracker.update(UserUttered("I am his sister, a canary text"))
    tracker.update(SlotSet("role", "carer"))
    tracker.update(ActionExecuted("action_listen"))
    return tracker


def test_endpoints_yml_loads_the_guarded_store_not_an_in_memory_fallback(store):
    # Rasa silently falls back to an in-memory store when a custom store cannot be loaded.
    assert type(store) is GuardedSQLTrackerStore
    assert str(store.engine.url).endswith("tracker.db")


def test_a_corrupt_database_gives_a_paused_placeholder_and_the_conversation_survives(
        store, tmp_path):
    asyncio.run(store.save(a_carers_conversation()))
    path = tmp_path / "tracker.db"
    good = path.read_bytes()
    path.write_bytes(b"\x00not a database\x00" * 256)
    placeholder = asyncio.run(store.retrieve("c1"))
    assert placeholder.is_paused() and is_placeholder(placeholder)
    assert placeholder.get_slot("role") is None
    asyncio.run(store.save(placeholder))  # never written
    path.write_bytes(good)
    back = asyncio.run(store.retrieve("c1"))
    assert back.get_slot("role") == "carer" and not back.is_paused()
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT count(*) FROM events WHERE type_name = 'pause'").fetchone()[0] == 0


def test_a_failed_write_raises_an_error_without_the_message_text(store, tmp_path):
    asyncio.run(store.retrieve("warm-up"))
    locker = sqlite3.connect(tmp_path / "tracker.db", isolation_level=None, timeout=1)
    store.engine.dispose()
    locker.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(TrackerStoreUnavailable) as raised:
            asyncio.run(store.save(a_carers_conversation("c2")))
    finally:
        locker.execute("ROLLBACK")
        locker.close()
    assert str(raised.value) == "OperationalError while saving"
    assert raised.value.__cause__ is None and raised.value.__suppress_context__


def test_a_missing_conversation_is_still_none(store):
    assert asyncio.run(store.retrieve("nobody")) is None


def _rows(path: Path) -> list[tuple]:
    with sqlite3.connect(path) as db:
        return db.execute("SELECT sender_id, type_name, timestamp, intent_name, action_name, data "
                          "FROM events ORDER BY id").fetchall()


def test_it_writes_and_reads_the_same_rows_and_conversations_as_rasas_store(tmp_path):
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.events import BotUttered, SessionStarted

    stores = {"rasa": SQLTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "rasa.db")),
              "ours": GuardedSQLTrackerStore(DOMAIN, dialect="sqlite",
                                             db=str(tmp_path / "ours.db"))}
    tracker = a_carers_conversation("c1")
    later = [UserUttered("do I have to pay", {"name": "ask_charging", "confidence": 0.9}),
             ActionExecuted("action_answer"), BotUttered("It is free."),
             ActionExecuted("action_listen")]
    new_session = [ActionExecuted("action_session_start"), SessionStarted(),
                   ActionExecuted("action_listen"), UserUttered("hello again")]
    read = {}
    for name, store in stores.items():
        copy = DialogueStateTracker.from_dict("c1", [e.as_dict() for e in tracker.events],
                                              DOMAIN.slots)
        for batch in ([], later, new_session):  # saved three times: only new events are added
            for event in batch:
                copy.update(event)
            asyncio.run(store.save(copy))
        read[name] = (asyncio.run(store.retrieve("c1")),
                      asyncio.run(store.retrieve_full_tracker("c1")),
                      asyncio.run(store.retrieve("nobody")))
        store.engine.dispose()
    assert _rows(tmp_path / "ours.db") == _rows(tmp_path / "rasa.db")
    assert len(_rows(tmp_path / "ours.db")) == 3 + len(later) + len(new_session)
    (ours_now, ours_all, ours_none), (rasa_now, rasa_all, rasa_none) = read["ours"], read["rasa"]
    assert list(ours_now.events) == list(rasa_now.events)  # this session only
    assert list(ours_all.events) == list(rasa_all.events)  # every session
    assert len(ours_all.events) > len(ours_now.events)
    assert ours_none is None and rasa_none is None
