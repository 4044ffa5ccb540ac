"""The FastAPI application, built by create_app() so tests can inject settings and a fake Rasa."""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from web import chat, feedback, forget, health, insights_page
from web.feedback import Recorder
from web.ratelimit import make_limiter
from web.rasa_client import RasaReplicas
from web.retention import keep_deleting
from web.security import add_security_headers
from web.settings import Settings

STATIC_DIR = Path(__file__).parent / "static"


def create_app(settings: Settings | None = None,
               rasa_transport: httpx.AsyncBaseTransport | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    rasa = RasaReplicas(settings.rasa_urls, settings.rasa_connect_timeout,
                        settings.rasa_read_timeout, transport=rasa_transport)
    recorder = Recorder(settings.insights_db)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        retention = asyncio.create_task(
            keep_deleting(settings.tracker_db, settings.retention_days, recorder))
        counting = asyncio.create_task(recorder.keep_flushing())
        yield
        retention.cancel()
        counting.cancel()
        await asyncio.gather(counting, return_exceptions=True)
        recorder.close()
        await rasa.aclose()
        for limiter in (app.state.limiter, app.state.ip_limiter,
                        getattr(app.state, "insights_login_limiter", None)):
            if hasattr(limiter, "aclose"):
                await limiter.aclose()

    app = FastAPI(title="Section 117 aftercare assistant", lifespan=lifespan,
                  docs_url=None, redoc_url=None, openapi_url=None)
    app.state.settings = settings
    app.state.rasa = rasa
    app.state.recorder = recorder
    # Shared through Redis when LOCK_STORE_URL is set, so several web workers share one limit.
    shared = (settings.lock_store_url, settings.secret_key)
    app.state.limiter = make_limiter(settings.rate_limit_per_minute, "conversation", *shared)
    app.state.ip_limiter = make_limiter(settings.rate_limit_per_ip_per_minute, "address", *shared)

    @app.exception_handler(RequestValidationError)
    async def bad_request(_: Request, __: RequestValidationError) -> JSONResponse:
        return JSONResponse({"error": "The request was not understood."}, status_code=400)

    add_security_headers(app)
    app.include_router(chat.router)
    app.include_router(forget.router)
    app.include_router(health.router)
    app.include_router(feedback.router)
    if settings.insights_token:  # otherwise /insights does not exist at all
        app.state.insights_login_limiter = insights_page.login_limiter(*shared)
        app.include_router(insights_page.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.get("/", include_in_schema=False)
    async def index() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html")

    return app


def app_from_env() -> FastAPI:
    """Entry point for uvicorn --factory."""
    return create_app(Settings.from_env())
