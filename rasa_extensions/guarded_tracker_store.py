"""Rasa's SQL tracker store, made safe for the moment the database fails.

Rasa wraps every tracker store in a FailSafeTrackerStore. When reading a conversation fails
(the database is locked, corrupt or gone) it returns "no conversation", so Rasa answers the
message as if the person had said nothing before: a carer who told us about her brother's
section 3 would suddenly be answered as a patient with no section. And its error log line
includes SQLAlchemy's message, which quotes the SQL parameters: what the person wrote.

This store instead:
- when reading fails, returns a paused placeholder conversation, so Rasa predicts nothing and
  answers nothing; the web backend then shows its "cannot answer right now" message with the
  crisis numbers (or the crisis answer), and the real conversation is untouched for when the
  database is back. The placeholder is never written.
- when writing fails (for example a full disk), lets Rasa's answer through, and raises an error
  that names only the exception's type, so no message text reaches a log.

It also reads and writes with less work than Rasa's SQLTrackerStore, with the same rows and the
same conversations (tests/unit/test_guarded_tracker_store.py compares the two): reading selects
only the event data (no ORM object for each row), and saving counts the events already stored
with one COUNT and writes the new ones with one multi-row INSERT, where Rasa built and flushed an
ORM object per event: saving a turn's 4 events 2.5 -> 1.9 ms, reading a conversation back 16 ->
9 us an event, where reading and saving were about a fifth of the Rasa server's time (issue 15).
A SQLite file is kept with a write-ahead log, so a turn's COMMIT does not wait for the disk
(bot/sqlite_files.py).
"""

from __future__ import annotations

import itertools
import json
import logging
from typing import Any, Optional, Text

import sqlalchemy as sa
import ujson
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import ActionExecuted, ConversationPaused, SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from bot.sqlite_files import keep_the_log_open

logger = logging.getLogger(__name__)

PLACEHOLDER_MARK = "s117_store_unavailable"
STORE_ERRORS = (sa.exc.SQLAlchemyError, ValueError, OSError)


class TrackerStoreUnavailable(Exception):
    """The database failed. The message names the exception type only, never its text."""


def is_placeholder(tracker: DialogueStateTracker) -> bool:
    return any(isinstance(event, ConversationPaused) and (event.metadata or {}).get(
        PLACEHOLDER_MARK) for event in tracker.events)


class GuardedSQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # SQLite only: a write-ahead log, so a turn's COMMIT does not wait for the disk.
        self._log_kept_by = keep_the_log_open(self.engine)
        # Rasa's _event_query, written once as SQL: a conversation's rows from its latest
        # session_started on, or all of them when it has none. Rasa's ORM query was built again,
        # with its cache key, at every read and save: 5.5% of the Rasa server's time in one
        # conversation (py-spy). Written once: reading 54 events 1.12 -> 0.69 ms, a save's
        # count 0.64 -> 0.24 ms. tests/unit/test_guarded_tracker_store.py compares the rows
        # and conversations with Rasa's store; tests/scaled runs it on PostgreSQL.
        table = self.SQLEvent.__tablename__
        this_session = (
            f"FROM {table} e, (SELECT max(timestamp) AS session_start FROM {table} "
            f"WHERE sender_id = :sender_id AND type_name = :started) s "
            f"WHERE e.sender_id = :sender_id "
            f"AND (e.timestamp >= s.session_start OR s.session_start IS NULL)")
        self._read_this_session = sa.text(f"SELECT e.data {this_session} ORDER BY e.id")
        self._read_every_session = sa.text(
            f"SELECT data FROM {table} WHERE sender_id = :sender_id ORDER BY id")
        self._count_this_session = sa.text(f"SELECT count(e.id) {this_session}")
        self._insert = self.SQLEvent.__table__.insert()

    def _placeholder(self, sender_id: Text) -> DialogueStateTracker:
        slots = self.domain.slots if self.domain else []
        return DialogueStateTracker.from_events(
            sender_id, [SessionStarted(), ActionExecuted("action_listen"),
                        ConversationPaused(metadata={PLACEHOLDER_MARK: True})], slots)

    async def _retrieve(self, sender_id: Text, fetch_events_from_all_sessions: bool
                        ) -> Optional[DialogueStateTracker]:
        """Rasa's, reading only the data column, parsed with ujson (as in action_connection.py:
        the same values as json, 100 events in 0.31 ms against 0.53)."""
        query = (self._read_every_session if fetch_events_from_all_sessions
                 else self._read_this_session)
        with self.session_scope() as session:
            rows = session.execute(query, {"sender_id": sender_id,
                                           "started": SessionStarted.type_name}).all()
            events = [ujson.loads(data) for (data,) in rows]  # json's values, faster
        if self.domain and events:
            return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        return None

    def _row(self, sender_id: Text, event: Any) -> dict[str, Any]:
        """The row Rasa's save writes for an event."""
        data = event.as_dict()
        return {"sender_id": sender_id, "type_name": event.type_name,
                "timestamp": data.get("timestamp"),
                "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
                "action_name": data.get("name"), "data": json.dumps(data)}

    async def _save(self, tracker: DialogueStateTracker) -> None:
        """Rasa's save: the events after those already stored in this session, in one INSERT."""
        await self.stream_events(tracker)
        with self.session_scope() as session:
            stored = session.execute(self._count_this_session, {
                "sender_id": tracker.sender_id, "started": SessionStarted.type_name}).scalar()
            rows = [self._row(tracker.sender_id, event)
                    for event in itertools.islice(tracker.events, stored, len(tracker.events))]
            if rows:
                session.execute(self._insert, rows)
            session.commit()

    async def _guarded_retrieve(self, sender_id: Text,
                                all_sessions: bool) -> Optional[DialogueStateTracker]:
        try:
            return await self._retrieve(sender_id, fetch_events_from_all_sessions=all_sessions)
        except STORE_ERRORS as error:
            logger.error("The tracker store could not be read (%s); this turn is not answered "
                         "and the conversation is left as it was.", type(error).__name__)
            return self._placeholder(sender_id)

    async def retrieve(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        return await self._guarded_retrieve(sender_id, all_sessions=False)

    async def retrieve_full_tracker(self, conversation_id: Text
                                    ) -> Optional[DialogueStateTracker]:
        return await self._guarded_retrieve(conversation_id, all_sessions=True)

    async def save(self, tracker: DialogueStateTracker) -> None:
        if is_placeholder(tracker):
            return  # the real conversation is still in the database, untouched
        try:
            await self._save(tracker)
        except STORE_ERRORS as error:
            raise TrackerStoreUnavailable(f"{type(error).__name__} while saving") from None
