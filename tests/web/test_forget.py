"""POST /api/forget deletes the conversation from Rasa's own SQL tracker store."""

from __future__ import annotations

import asyncio
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from web import signing
from web.app import create_app
from web.forget import delete_conversation, tracker_url
from web.settings import Settings

SECRET = "forget-test-secret-0123456789abcdef0123"


def rasa_store(db: Path):
    """Rasa's SQLTrackerStore on a SQLite file: the real schema, written by Rasa itself."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from rasa.core.tracker_store import SQLTrackerStore
        from rasa.shared.core.domain import Domain
    return SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(db))


def run(coroutine):
    """asyncio.run in its own thread: another test layer (Playwright) may own this thread's loop."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def save_conversation(store, sender: str, text: str) -> None:
    from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    tracker = DialogueStateTracker.from_events(sender, [
        ActionExecuted("action_listen"), UserUttered(text), BotUttered("Hello.")])
    run(store.save(tracker))


def stored(store, sender: str):
    return run(store.retrieve(sender))


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "tracker.db"


@pytest.fixture
def client(db: Path):
    settings = Settings(secret_key=SECRET, tracker_db=str(db))
    with TestClient(create_app(settings, rasa_transport=None)) as test_client:
        yield test_client


def test_forget_deletes_only_this_conversation(client, db):
    store = rasa_store(db)
    session = signing.mint_session(SECRET)
    mine = signing.conversation_id(SECRET, session)
    save_conversation(store, mine, "do I have to pay")
    save_conversation(store, "someone-else", "what is section 117")
    assert stored(store, mine) is not None

    response = client.post("/api/forget", json={"session": session})

    assert response.status_code == 200
    assert response.json() == {"deleted": True}
    assert stored(store, mine) is None
    assert stored(store, "someone-else") is not None
    # Asking again is harmless.
    assert client.post("/api/forget", json={"session": session}).status_code == 200


def test_forget_refuses_a_session_we_did_not_sign(client, db):
    store = rasa_store(db)
    save_conversation(store, "victim", "hello")
    response = client.post("/api/forget", json={"session": "victim.forged"})
    assert response.status_code == 403
    assert "start again" in response.json()["error"].lower()
    assert stored(store, "victim") is not None


@pytest.mark.parametrize("body", [b"", b"{}", b'{"session": 5}', b"not json", b"[]"])
def test_forget_bad_requests_are_plain_400s(client, body):
    response = client.post("/api/forget", content=body,
                           headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert isinstance(response.json()["error"], str)


def test_no_tracker_file_yet_is_fine_and_creates_nothing(client, db):
    session = signing.mint_session(SECRET)
    assert client.post("/api/forget", json={"session": session}).status_code == 200
    assert not db.exists()


def test_tracker_urls():
    assert tracker_url("postgresql://rasa@db:5432/rasa") == "postgresql://rasa@db:5432/rasa"
    assert tracker_url("/no/such/file.db") is None


def test_delete_conversation_counts_rows(db):
    store = rasa_store(db)
    save_conversation(store, "abc", "hello")
    assert delete_conversation(str(db), "abc") >= 3
    assert delete_conversation(str(db), "abc") == 0


def test_a_database_error_is_a_plain_503(client, db):
    db.write_text("this is not a database")
    session = signing.mint_session(SECRET)
    response = client.post("/api/forget", json={"session": session})
    assert response.status_code == 503
    assert "try again" in response.json()["error"]


def guarded_store(db: Path):
    """The store the assistant runs: Rasa's schema, kept in a write-ahead log."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from rasa.shared.core.domain import Domain
        from rasa_extensions.guarded_tracker_store import GuardedSQLTrackerStore
    return GuardedSQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(db))


def files_of(db: Path) -> bytes:
    """Every byte SQLite keeps for the database: the file, its log and its shared memory."""
    return b"".join(p.read_bytes() for p in db.parent.glob(db.name + "*"))


def test_the_store_commits_to_a_write_ahead_log(db: Path):
    import sqlite3

    store = guarded_store(db)
    save_conversation(store, "someone", "hello")
    assert sqlite3.connect(db).execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    with store.engine.connect() as connection:  # synchronous is per connection: NORMAL is 1
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1


def test_deleted_words_are_gone_from_the_file_and_its_log(db: Path):
    store = guarded_store(db)
    secret = "my brother Tobias Quennell-Ashworth was on a section 3"
    save_conversation(store, "leaving", secret)
    save_conversation(store, "staying", "what is aftercare")
    assert secret.encode() in files_of(db)  # so the check below can fail
    assert delete_conversation(str(db), "leaving") == 3
    assert secret.encode() not in files_of(db)
    assert stored(store, "leaving") is None
    assert stored(store, "staying") is not None
