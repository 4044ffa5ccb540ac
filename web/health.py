"""Liveness and readiness probes."""

from __future__ import annotations

import secrets

import logging

import sqlalchemy as sa
from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from web.forget import delete_conversation
from web.rasa_client import RasaUnavailable

log = logging.getLogger("s117.web")

router = APIRouter()

# A real question, so "ready" means the model, the actions and the tracker store all work.
READINESS_QUESTION = "what is section 117"


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz")
async def readyz(request: Request) -> JSONResponse:
    probe_sender = f"readyz-{secrets.token_hex(8)}"
    try:
        output = await request.app.state.rasa.send(probe_sender, READINESS_QUESTION)
    except RasaUnavailable as error:
        return JSONResponse({"status": "not ready", "reason": str(error)}, status_code=503)
    finally:
        await _forget_probe(request, probe_sender)
    if not any(isinstance(m.get("text"), str) and m["text"] for m in output):
        return JSONResponse({"status": "not ready", "reason": "empty reply"}, status_code=503)
    return JSONResponse({"status": "ready"})


async def _forget_probe(request: Request, probe_sender: str) -> None:
    """A probe is not a person: its conversation is deleted at once, not kept for 30 days."""
    try:
        await run_in_threadpool(delete_conversation, request.app.state.settings.tracker_db,
                                probe_sender)
    except sa.exc.SQLAlchemyError as error:
        log.warning("readyz: probe not deleted: %s", type(error).__name__)
