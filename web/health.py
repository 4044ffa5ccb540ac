"""Liveness and readiness probes."""

from __future__ import annotations

import asyncio
import logging
import secrets

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
    """Each Rasa replica asked the real question, at once.

    "ready" (200) when every replica answers; "degraded" (200) when some do, because the
    conversations of the others fail over to them; "not ready" (503) when none does. Replicas
    are reported by number (1, 2, ...), not by their internal addresses.
    """
    rasa = request.app.state.rasa
    reports = await asyncio.gather(*(_probe(request, index) for index in range(len(rasa.urls))))
    answering = sum(report["status"] == "ready" for report in reports)
    if answering == len(reports):
        status, code = "ready", 200
    elif answering:
        status, code = "degraded", 200
    else:
        status, code = "not ready", 503
    body: dict = {"status": status, "replicas": reports}
    if not answering:
        body["reason"] = reports[0].get("reason", "")
    return JSONResponse(body, status_code=code)


async def _probe(request: Request, index: int) -> dict:
    probe_sender = f"readyz-{secrets.token_hex(8)}"
    report: dict = {"replica": index + 1}
    try:
        output = await request.app.state.rasa.send_to(index, probe_sender, READINESS_QUESTION)
    except RasaUnavailable as error:
        return {**report, "status": "not ready", "reason": str(error)}
    finally:
        await _forget_probe(request, probe_sender)
    if not any(isinstance(m.get("text"), str) and m["text"] for m in output):
        return {**report, "status": "not ready", "reason": "empty reply"}
    return {**report, "status": "ready"}


async def _forget_probe(request: Request, probe_sender: str) -> None:
    """A probe is not a person: its conversation is deleted at once, not kept for 30 days."""
    try:
        await run_in_threadpool(delete_conversation, request.app.state.settings.tracker_db,
                                probe_sender)
    except sa.exc.SQLAlchemyError as error:
        log.warning("readyz: probe not deleted: %s", type(error).__name__)
