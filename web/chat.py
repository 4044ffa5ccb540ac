"""POST /api/start and POST /api/chat: the only way a browser talks to the assistant."""

from __future__ import annotations

import json
import logging
import time
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from bot import contacts
from bot.insights import reply_counts
from bot.crisis import CRISIS_PAYLOAD, CRISIS_TEXT_KEY, looks_like_crisis
from web import signing
from web.messages import crisis_message, unavailable_message
from web.rasa_client import RasaUnavailable
from web.replies import to_widget_messages

router = APIRouter()
log = logging.getLogger("s117.web")

GREET_PAYLOAD = "/greet"


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


async def _read_json(request: Request) -> dict[str, Any] | JSONResponse:
    settings = request.app.state.settings
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > settings.max_body_bytes:
        return _error(413, "The message is too long.")
    body = await request.body()
    if len(body) > settings.max_body_bytes:
        return _error(413, "The message is too long.")
    if not body:
        return {}
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return _error(400, "The request was not valid JSON.")
    if not isinstance(data, dict):
        return _error(400, "The request must be a JSON object.")
    return data


def _conversation(request: Request, session: Any) -> str | JSONResponse:
    if not isinstance(session, str):
        return _error(400, "The session must be a string.")
    try:
        return signing.conversation_id(request.app.state.settings.secret_key, session)
    except signing.BadSignature:
        return _error(403, "This conversation has ended. Please start again.")


def _to_rasa_text(request: Request, conversation: str, message: str) -> str | JSONResponse:
    """What to send to Rasa for what the person sent: only offered buttons may force an intent."""
    key = request.app.state.settings.secret_key
    if message.startswith(signing.BUTTON_PREFIX):
        try:
            return signing.open_button(key, conversation, message)
        except signing.BadSignature:
            return _error(400, "That button is out of date. Please type your question.")
    text = message.lstrip("/").strip()  # typed "/intent" is just words, never a command
    if not text:
        return _error(422, "Please type a message.")
    if looks_like_crisis(text):
        return CRISIS_PAYLOAD
    return text


async def _reply(request: Request, session: str, conversation: str, rasa_text: str,
                 started: float, new_conversation: bool = False,
                 metadata: dict[str, Any] | None = None) -> JSONResponse:
    state = request.app.state
    outcome = "ok"
    # Whatever fails, a message that looks like a crisis gets the crisis answer.
    fallback = crisis_message if rasa_text == CRISIS_PAYLOAD else unavailable_message
    try:
        output = await state.rasa.send(conversation, rasa_text, metadata)
        messages = to_widget_messages(
            output, lambda payload: signing.sign_button(state.settings.secret_key,
                                                        conversation, payload))
        if not messages:
            outcome = "empty"
            messages = [fallback()]
    except RasaUnavailable as error:
        outcome = f"rasa_unavailable:{error}"
        messages = [fallback()]
    # Counts for the deployer's insights: what kinds of answer went out, never the words.
    state.recorder.count(reply_counts(messages, started=new_conversation,
                                      from_person=not new_conversation))
    # Never log what anyone wrote or was told: only the outcome and timing.
    log.info("chat outcome=%s ms=%d", outcome, (time.perf_counter() - started) * 1000)
    return JSONResponse({"session": session, "messages": messages})


def _client_key(request: Request) -> str:
    return f"ip:{request.client.host if request.client else 'unknown'}"


def _welcome_payload(area: Any) -> str | JSONResponse:
    """The greeting, carrying the partner site's area when it names one of our areas."""
    if area is None or area == "":
        return GREET_PAYLOAD
    if not isinstance(area, str) or len(area) > 100:
        return _error(400, "The area must be a short piece of text.")
    directory, _ = contacts.loaded()
    value = contacts.area_value_from_text(area, directory)
    if value is None or value not in directory.areas:
        return GREET_PAYLOAD  # an area we have no contacts for: ask later, as for anyone
    return GREET_PAYLOAD + json.dumps({"area": value})


@router.post("/api/start")
async def start(request: Request) -> JSONResponse:
    """A new conversation: a fresh signed session and the welcome.

    A partner's embed may send {"area": "kent"} so its contacts show without asking.
    """
    started = time.perf_counter()
    data = await _read_json(request)
    if isinstance(data, JSONResponse):
        return data
    welcome = _welcome_payload(data.get("area"))
    if isinstance(welcome, JSONResponse):
        return welcome
    if not await request.app.state.ip_limiter.check(_client_key(request)):
        return _error(429, "Too many messages. Please wait a minute and try again.")
    session = signing.mint_session(request.app.state.settings.secret_key)
    conversation = signing.conversation_id(request.app.state.settings.secret_key, session)
    return await _reply(request, session, conversation, welcome, started, new_conversation=True)


@router.post("/api/chat")
async def chat(request: Request) -> JSONResponse:
    started = time.perf_counter()
    settings = request.app.state.settings
    data = await _read_json(request)
    if isinstance(data, JSONResponse):
        return data
    message = data.get("message")
    if not isinstance(message, str):
        return _error(422, "Please send a message as text.")
    if len(message) > settings.max_message_chars:
        return _error(413, f"Please keep your message under {settings.max_message_chars} "
                           "characters.")
    if "session" in data and data["session"] is not None:
        session = data["session"]
        conversation = _conversation(request, session)
        if isinstance(conversation, JSONResponse):
            return conversation
    else:
        session = signing.mint_session(settings.secret_key)
        conversation = signing.conversation_id(settings.secret_key, session)
    state = request.app.state
    if not (await state.limiter.check(f"conv:{conversation}")
            and await state.ip_limiter.check(_client_key(request))):
        return _error(429, "Too many messages. Please wait a minute and try again.")
    rasa_text = _to_rasa_text(request, conversation, message)
    if isinstance(rasa_text, JSONResponse):
        return rasa_text
    return await _reply(request, session, conversation, rasa_text, started,
                        metadata=crisis_metadata(rasa_text, message))


def crisis_metadata(rasa_text: str, message: str) -> dict[str, Any] | None:
    """A crisis text goes to Rasa as /crisis, so that nothing the model makes of it can hide
    the crisis answer; the words go with it as metadata, so that the situation they tell ("I'm
    on a section 3 in supported living...") is still noted for the rest of the conversation."""
    if rasa_text != CRISIS_PAYLOAD:
        return None
    return {CRISIS_TEXT_KEY: message.lstrip("/").strip()}
