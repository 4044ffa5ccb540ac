"""Typed settings, read once from the environment and passed to create_app().

Every setting here is listed in .env.example and in the README's configuration table
(tests/unit/test_settings_documented.py keeps the three in step).
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field


def _int(env: dict[str, str], name: str, default: int) -> int:
    raw = env.get(name, "")
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, not {raw!r}") from None


def _float(env: dict[str, str], name: str, default: float) -> float:
    raw = env.get(name, "")
    if not raw:
        return default
    try:
        return float(raw)
    except ValueError:
        raise ValueError(f"{name} must be a number, not {raw!r}") from None


@dataclass(frozen=True)
class Settings:
    rasa_url: str = "http://127.0.0.1:5005"
    # Signs session ids and button payloads. Without one, a random key is made at start-up,
    # so sessions do not survive a restart and several web processes would not agree.
    secret_key: str = field(default_factory=lambda: secrets.token_hex(32), repr=False)
    max_message_chars: int = 1000
    max_body_bytes: int = 8192
    rasa_connect_timeout: float = 2.0
    rasa_read_timeout: float = 10.0
    rate_limit_per_minute: int = 30
    tracker_db: str = "var/tracker.db"
    default_area: str = ""

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> "Settings":
        env = dict(os.environ if env is None else env)
        defaults = cls()
        secret = env.get("S117_SECRET_KEY", "")
        if secret and len(secret) < 32:
            raise ValueError("S117_SECRET_KEY must be at least 32 characters long")
        return cls(
            rasa_url=env.get("RASA_URL", defaults.rasa_url).rstrip("/"),
            secret_key=secret or defaults.secret_key,
            max_message_chars=_int(env, "S117_MAX_MESSAGE_CHARS", defaults.max_message_chars),
            max_body_bytes=_int(env, "S117_MAX_BODY_BYTES", defaults.max_body_bytes),
            rasa_connect_timeout=_float(env, "RASA_CONNECT_TIMEOUT", defaults.rasa_connect_timeout),
            rasa_read_timeout=_float(env, "RASA_READ_TIMEOUT", defaults.rasa_read_timeout),
            rate_limit_per_minute=_int(env, "S117_RATE_LIMIT_PER_MINUTE",
                                       defaults.rate_limit_per_minute),
            tracker_db=env.get("TRACKER_DB", defaults.tracker_db),
            default_area=env.get("S117_DEFAULT_AREA", defaults.default_area).strip(),
        )
