"""Session ids and button payloads signed by the server.

A browser never chooses its conversation id: the server mints a random id and signs it, so a
forged or guessed id is refused. Button payloads ("/more_detail{...}") can force an intent, so
the browser only gets them signed and bound to its session; typed text can never force one.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

BUTTON_PREFIX = "~"


class BadSignature(ValueError):
    pass


def _mac(key: str, *parts: str) -> str:
    digest = hmac.new(key.encode(), "\x1f".join(parts).encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:18]).decode().rstrip("=")


def mint_session(key: str) -> str:
    conversation_id = secrets.token_urlsafe(18)
    return f"{conversation_id}.{_mac(key, 'session', conversation_id)}"


def conversation_id(key: str, session: str) -> str:
    """The conversation id inside a signed session token; BadSignature if it was not ours."""
    conversation, _, mac = session.partition(".")
    if not conversation or not mac or len(session) > 100:
        raise BadSignature("malformed session")
    if not hmac.compare_digest(mac, _mac(key, "session", conversation)):
        raise BadSignature("session not signed by this server")
    return conversation


def sign_button(key: str, conversation: str, payload: str) -> str:
    body = base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")
    return f"{BUTTON_PREFIX}{body}.{_mac(key, 'button', conversation, payload)}"


def open_button(key: str, conversation: str, token: str) -> str:
    """The payload of a button this server offered in this conversation; BadSignature if not."""
    body, _, mac = token.removeprefix(BUTTON_PREFIX).partition(".")
    try:
        payload = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)).decode()
    except (ValueError, UnicodeDecodeError):
        raise BadSignature("malformed button") from None
    if not mac or not hmac.compare_digest(mac, _mac(key, "button", conversation, payload)):
        raise BadSignature("button not offered in this conversation")
    return payload
