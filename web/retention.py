"""Forgets conversations on time: the running web backend deletes idle ones by itself.

A conversation with no event for S117_RETENTION_DAYS days (default 30) is deleted from Rasa's
tracker store at start-up and then every hour, for SQLite and PostgreSQL alike (SQLAlchemy).
0 keeps nothing after the conversation's session ends (SESSION_MINUTES without activity;
domain.yml's session_config, kept equal by a test) and checks every 5 minutes.

Rasa's `events` table is indexed on sender_id only; the index added here on (sender_id,
timestamp) lets the database find each conversation's last event without reading every row.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from fastapi.concurrency import run_in_threadpool

from bot.sqlite_files import deleting
from web.forget import EVENTS_TABLE, tracker_url

log = logging.getLogger("s117.web")

SESSION_MINUTES = 60
INDEX_NAME = "ix_events_sender_id_timestamp"


@dataclass(frozen=True)
class Purge:
    conversations: int
    rows: int


def kept_seconds(days: int) -> float:
    return days * 86_400 if days > 0 else SESSION_MINUTES * 60


def check_every_seconds(days: int) -> float:
    return 3_600 if days > 0 else 300


def delete_idle_conversations(tracker_db: str, older_than_seconds: float,
                              now: float | None = None) -> Purge:
    """Delete every conversation whose newest event is older than the cut-off."""
    url = tracker_url(tracker_db)
    if url is None:
        return Purge(0, 0)
    cutoff = (time.time() if now is None else now) - older_than_seconds
    engine = sa.create_engine(url)
    try:
        if not sa.inspect(engine).has_table(EVENTS_TABLE):
            return Purge(0, 0)  # Rasa has not stored anything yet
        events = sa.Table(EVENTS_TABLE, sa.MetaData(), sa.Column("sender_id", sa.String(255)),
                          sa.Column("timestamp", sa.Float))
        index = sa.Index(INDEX_NAME, events.c.sender_id, events.c.timestamp)
        with deleting(engine) as connection:
            index.create(connection, checkfirst=True)
            idle = (sa.select(events.c.sender_id).group_by(events.c.sender_id)
                    .having(sa.func.max(events.c.timestamp) < cutoff))
            conversations = connection.execute(
                sa.select(sa.func.count()).select_from(idle.subquery())).scalar_one()
            if not conversations:
                return Purge(0, 0)
            result = connection.execute(events.delete().where(events.c.sender_id.in_(idle)))
        return Purge(conversations, result.rowcount or 0)
    finally:
        engine.dispose()


async def keep_deleting(tracker_db: str, days: int, recorder: Any = None) -> None:
    """Runs for the life of the web backend (a task started by create_app's lifespan).

    Feedback comments (the recorder's store) are kept no longer than conversations.
    """
    while True:
        started = time.perf_counter()
        try:
            purge = await run_in_threadpool(delete_idle_conversations, tracker_db,
                                            kept_seconds(days))
            if recorder is not None:
                comments = await run_in_threadpool(recorder.store.delete_comments_before,
                                                   time.time() - kept_seconds(days))
                log.info("retention deleted_comments=%d", comments)
            # Counts only: never an id or anything that was said.
            log.info("retention days=%d deleted_conversations=%d rows=%d ms=%d", days,
                     purge.conversations, purge.rows, (time.perf_counter() - started) * 1000)
        except sa.exc.SQLAlchemyError as error:
            log.warning("retention failed: %s; trying again at the next check",
                        type(error).__name__)
        await asyncio.sleep(check_every_seconds(days))
