"""Counting what the assistant does, and "Did this help?" (POST /api/feedback).

The counts are kept in memory and added to the insights store (bot/insights.py) every few
seconds, so a busy morning is a handful of small writes, not one per message. Feedback comes
with the signed session, so only a real conversation can send it, and is rate limited per
conversation like messages; the session itself is never stored.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections import Counter
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
import yaml
from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from bot.insights import COMMENT_MAX_CHARS, REASONS, InsightsStore, feedback_counts
from web.chat import _client_key, _conversation, _read_json
from web.messages import DOMAIN

router = APIRouter()
log = logging.getLogger("s117.web")
FLUSH_EVERY_SECONDS = 5.0


@lru_cache(maxsize=1)
def response_names() -> frozenset[str]:
    """The responses feedback may be about: the names in domain.yml, nothing else."""
    with DOMAIN.open(encoding="utf-8") as file:
        domain = yaml.load(file, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return frozenset(domain.get("responses") or {})


class Recorder:
    """Counts for today, added to the store in the background."""

    def __init__(self, where: str) -> None:
        self.where = where
        self._store: InsightsStore | None = None
        self._pending: dict[dt.date, Counter] = {}

    @property
    def store(self) -> InsightsStore:
        if self._store is None:  # opened on first use, so an app that counts nothing writes nothing
            self._store = InsightsStore(self.where)
        return self._store

    def count(self, counts: Counter, today: dt.date | None = None) -> None:
        if counts:
            self._pending.setdefault(today or dt.date.today(), Counter()).update(counts)

    def flush(self) -> None:
        pending, self._pending = self._pending, {}
        try:
            for day, counts in pending.items():
                self.store.add(counts, day)
        except sa.exc.SQLAlchemyError as error:
            # Keep them for the next try rather than lose a morning's counts.
            for day, counts in pending.items():
                self._pending.setdefault(day, Counter()).update(counts)
            log.warning("insights not saved: %s; trying again", type(error).__name__)

    async def keep_flushing(self) -> None:
        try:
            while True:
                await asyncio.sleep(FLUSH_EVERY_SECONDS)
                if self._pending:
                    await run_in_threadpool(self.flush)
        finally:
            self.flush()

    def close(self) -> None:
        self.flush()
        if self._store is not None:
            self._store.close()


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def _validated(data: dict[str, Any]) -> tuple[str, bool, list[str], str] | JSONResponse:
    response, helpful = data.get("response"), data.get("helpful")
    reasons, comment = data.get("reasons") or [], data.get("comment") or ""
    if not isinstance(response, str) or response not in response_names():
        return _error(400, "That answer is not one of ours.")
    if not isinstance(helpful, bool):
        return _error(422, "Please say yes or no.")
    if not isinstance(reasons, list) or not all(r in REASONS for r in reasons):
        return _error(422, "Please pick from the choices given.")
    if not isinstance(comment, str):
        return _error(422, "The comment must be text.")
    if len(comment) > COMMENT_MAX_CHARS:
        return _error(413, f"Please keep your comment under {COMMENT_MAX_CHARS} characters.")
    if helpful and (reasons or comment.strip()):
        return _error(422, "What was wrong is only asked after No.")
    return response, helpful, sorted(set(reasons)), comment.strip()


@router.post("/api/feedback")
async def feedback(request: Request) -> JSONResponse:
    data = await _read_json(request)
    if isinstance(data, JSONResponse):
        return data
    conversation = _conversation(request, data.get("session"))
    if isinstance(conversation, JSONResponse):
        return conversation
    state = request.app.state
    if not (await state.limiter.check(f"feedback:{conversation}")
            and await state.ip_limiter.check(_client_key(request))):
        return _error(429, "Too many messages. Please wait a minute and try again.")
    checked = _validated(data)
    if isinstance(checked, JSONResponse):
        return checked
    response, helpful, reasons, comment = checked
    state.recorder.count(feedback_counts(response, helpful, reasons))
    if comment:
        await run_in_threadpool(state.recorder.store.add_comment, response, reasons, comment,
                                dt.datetime.now())
    log.info("feedback helpful=%s reasons=%d comment=%s", helpful, len(reasons), bool(comment))
    return JSONResponse({"thanks": "Thank you for telling us."})
