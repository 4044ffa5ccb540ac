"""Retention: idle conversations leave Rasa's own SQL tracker store on time.

The rows are written by Rasa's SQLTrackerStore itself, so a change to its schema fails here.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import sqlalchemy as sa
import yaml
from fastapi.testclient import TestClient
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from tests.web.test_forget import files_of
from web.app import create_app
from web.retention import (INDEX_NAME, SESSION_MINUTES, check_every_seconds,
                           delete_idle_conversations, kept_seconds)
from web.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
DAY = 86_400
NOW = time.time()


def store_conversations(db: Path, ages: dict[str, list[float]]) -> None:
    """One conversation per id, with an event at each age (seconds ago)."""
    domain = Domain.from_yaml("slots:\n  role:\n    type: text\n    mappings: []\n")
    store = SQLTrackerStore(domain, dialect="sqlite", db=str(db))
    for sender, event_ages in ages.items():
        tracker = DialogueStateTracker(sender, domain.slots)
        for age in sorted(event_ages, reverse=True):
            tracker.update(UserUttered("a canary message 07700 900123", timestamp=NOW - age))
            tracker.update(ActionExecuted("action_listen", timestamp=NOW - age))
        tracker.update(SlotSet("role", "carer", timestamp=NOW - min(event_ages)))
        asyncio.run(store.save(tracker))
    store.engine.dispose()


def senders(db: Path) -> set[str]:
    engine = sa.create_engine(f"sqlite:///{db}")
    with engine.connect() as connection:
        found = {row[0] for row in connection.execute(sa.text("SELECT sender_id FROM events"))}
    engine.dispose()
    return found


def test_conversations_idle_past_the_period_go_and_active_ones_stay(tmp_path):
    db = tmp_path / "tracker.db"
    store_conversations(db, {"old": [40 * DAY, 35 * DAY], "recent": [1 * DAY],
                             "came-back": [60 * DAY, 2 * DAY], "just-over": [30 * DAY + 60]})
    purge = delete_idle_conversations(str(db), kept_seconds(30), now=NOW)
    assert senders(db) == {"recent", "came-back"}
    assert purge.conversations == 2
    assert purge.rows == 5 + 3  # two turns and a slot; one turn and a slot
    again = delete_idle_conversations(str(db), kept_seconds(30), now=NOW)
    assert (again.conversations, again.rows) == (0, 0)


def test_the_index_that_keeps_it_fast_is_made(tmp_path):
    db = tmp_path / "tracker.db"
    store_conversations(db, {"recent": [60]})
    delete_idle_conversations(str(db), kept_seconds(30), now=NOW)
    engine = sa.create_engine(f"sqlite:///{db}")
    names = {index["name"] for index in sa.inspect(engine).get_indexes("events")}
    engine.dispose()
    assert INDEX_NAME in names


def test_zero_days_keeps_nothing_after_the_session_ends(tmp_path):
    db = tmp_path / "tracker.db"
    store_conversations(db, {"session-over": [SESSION_MINUTES * 60 + 120], "talking": [600]})
    delete_idle_conversations(str(db), kept_seconds(0), now=NOW)
    assert senders(db) == {"talking"}
    assert check_every_seconds(0) == 300 and check_every_seconds(30) == 3600


def test_the_session_length_is_the_domains():
    domain = yaml.safe_load((ROOT / "domain.yml").read_text())
    assert domain["session_config"]["session_expiration_time"] == SESSION_MINUTES


def test_nothing_stored_yet_is_not_an_error_and_creates_no_file(tmp_path):
    db = tmp_path / "none.db"
    purge = delete_idle_conversations(str(db), kept_seconds(30))
    assert (purge.conversations, purge.rows) == (0, 0)
    assert not db.exists()


def test_the_running_web_backend_deletes_at_start_up(tmp_path, caplog):
    db = tmp_path / "tracker.db"
    store_conversations(db, {"old": [31 * DAY], "recent": [DAY]})
    settings = Settings.from_env({"TRACKER_DB": str(db), "S117_RETENTION_DAYS": "30",
                                  "S117_SECRET_KEY": "r" * 32})
    caplog.set_level("INFO", logger="s117.web")
    with TestClient(create_app(settings)):
        deadline = time.monotonic() + 10
        while "old" in senders(db) and time.monotonic() < deadline:
            time.sleep(0.05)
    assert senders(db) == {"recent"}
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "retention days=30 deleted_conversations=1 rows=3" in logged
    assert "canary" not in logged and "07700" not in logged and "old" not in logged


def test_the_running_web_backend_deletes_old_feedback_comments(tmp_path, caplog):
    import datetime as dt

    from bot.insights import InsightsStore

    insights = tmp_path / "insights.db"
    store = InsightsStore(str(insights))
    now = dt.datetime.now()
    store.add_comment("utter_charging", ["other"], "an old comment", now - dt.timedelta(days=31))
    store.add_comment("utter_charging", ["other"], "a new comment", now - dt.timedelta(days=1))
    settings = Settings.from_env({"TRACKER_DB": str(tmp_path / "tracker.db"),
                                  "S117_INSIGHTS_DB": str(insights),
                                  "S117_RETENTION_DAYS": "30", "S117_SECRET_KEY": "r" * 32})
    caplog.set_level("INFO", logger="s117.web")

    def kept() -> list[str]:
        return [c.comment for c in store.comments(dt.date(2000, 1, 1))]
    with TestClient(create_app(settings)):
        deadline = time.monotonic() + 10
        while "an old comment" in kept() and time.monotonic() < deadline:
            time.sleep(0.05)
    assert kept() == ["a new comment"]
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "retention deleted_comments=1" in logged and "comment" not in logged.replace(
        "deleted_comments", "")
    store.close()


def test_retention_days_must_be_sensible():
    import pytest
    for bad in ("-1", "lots", "5000"):
        with pytest.raises(ValueError, match="S117_RETENTION_DAYS"):
            Settings.from_env({"S117_RETENTION_DAYS": bad})
    assert Settings.from_env({}).retention_days == 30
    assert Settings.from_env({"S117_RETENTION_DAYS": "0"}).retention_days == 0


def test_what_retention_deletes_is_gone_from_the_file_and_its_log(tmp_path):
    from rasa_extensions.guarded_tracker_store import GuardedSQLTrackerStore

    db = tmp_path / "tracker.db"
    store = GuardedSQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(db))  # kept open
    secret = "my sister Philippa Drummond-Oyelaran is on a section 37"
    for sender, age in (("old", 40 * DAY), ("recent", DAY)):
        tracker = DialogueStateTracker(sender, [])
        tracker.update(UserUttered(secret if sender == "old" else "hello", timestamp=NOW - age))
        asyncio.run(store.save(tracker))

    assert secret.encode() in files_of(db)  # so the check below can fail
    assert delete_idle_conversations(str(db), kept_seconds(30), now=NOW).conversations == 1
    assert secret.encode() not in files_of(db)
    assert senders(db) == {"recent"}
