"""POST /api/forget: "Delete my conversation" deletes it on the server, not only in the browser.

Rasa keeps each conversation as rows in its SQL tracker store (table `events`, one row per event,
keyed by `sender_id`, which is our conversation id). Deleting those rows removes everything the
person said and was told. SQLAlchemy is used so the same code works for the default SQLite file
and for a PostgreSQL URL in a scaled deployment.
"""

from __future__ import annotations

import logging
from pathlib import Path

import sqlalchemy as sa
from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from bot.sqlite_files import deleting
from web.chat import _client_key, _conversation, _error, _read_json

router = APIRouter()
log = logging.getLogger("s117.web")

EVENTS_TABLE = "events"


def tracker_url(tracker_db: str) -> str | None:
    """A SQLAlchemy URL for the tracker store; None when a SQLite file does not exist yet."""
    if "://" in tracker_db:
        return tracker_db
    path = Path(tracker_db)
    if not path.is_file():
        return None  # nothing stored yet; do not create an empty database by connecting
    return f"sqlite:///{path.resolve()}"


def delete_conversation(tracker_db: str, conversation: str) -> int:
    """Delete every stored event of one conversation. Returns how many rows went."""
    url = tracker_url(tracker_db)
    if url is None:
        return 0
    engine = sa.create_engine(url)
    try:
        if not sa.inspect(engine).has_table(EVENTS_TABLE):
            return 0
        events = sa.Table(EVENTS_TABLE, sa.MetaData(), sa.Column("sender_id", sa.String(255)))
        with deleting(engine) as connection:
            result = connection.execute(events.delete().where(events.c.sender_id == conversation))
        return result.rowcount or 0
    finally:
        engine.dispose()


@router.post("/api/forget")
async def forget(request: Request) -> JSONResponse:
    data = await _read_json(request)
    if isinstance(data, JSONResponse):
        return data
    state = request.app.state
    limiter = getattr(state, "ip_limiter", state.limiter)
    if not await limiter.check(_client_key(request)):
        return _error(429, "Too many requests. Please wait a minute and try again.")
    conversation = _conversation(request, data.get("session"))
    if isinstance(conversation, JSONResponse):
        return conversation
    try:
        rows = await run_in_threadpool(delete_conversation, state.settings.tracker_db,
                                       conversation)
    except sa.exc.SQLAlchemyError as error:
        log.warning("forget failed: %s", type(error).__name__)
        return _error(503, "Sorry, your conversation could not be deleted just now. "
                           "Please try again in a minute.")
    # The count only: never the id or anything that was said.
    log.info("forget rows=%d", rows)
    return JSONResponse({"deleted": True})
