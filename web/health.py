"""Liveness and readiness probes."""

from __future__ import annotations

import secrets

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from web.rasa_client import RasaUnavailable

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
    if not any(isinstance(m.get("text"), str) and m["text"] for m in output):
        return JSONResponse({"status": "not ready", "reason": "empty reply"}, status_code=503)
    return JSONResponse({"status": "ready"})
