"""Typed settings, read once from the environment and passed to create_app().

Every setting here is listed in .env.example and in the README's configuration table
(tests/unit/test_settings_documented.py keeps the three in step).
"""

from __future__ import annotations

import os
import re
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


def _frame_ancestors(raw: str) -> str:
    """'self' plus the partner origins that may frame the widget ("https://www.kent.gov.uk")."""
    origins = raw.split()
    for origin in origins:
        if not re.fullmatch(r"https://[a-z0-9.-]+(:\d{1,5})?"
                            r"|http://(localhost|127\.0\.0\.1)(:\d{1,5})?", origin):
            raise ValueError("S117_FRAME_ANCESTORS must be origins like https://www.example.org, "
                             f"separated by spaces, not {origin!r}")
    return " ".join(["'self'"] + [o for o in origins if o != "'self'"])


def _retention_days(env: dict[str, str]) -> int:
    days = _int(env, "S117_RETENTION_DAYS", 30)
    if days < 0 or days > 3650:
        raise ValueError("S117_RETENTION_DAYS must be between 0 and 3650 days, not "
                         f"{days}")
    return days


def _insights_token(env: dict[str, str]) -> str:
    token = env.get("S117_INSIGHTS_TOKEN", "").strip()
    if token and len(token) < 24:
        raise ValueError("S117_INSIGHTS_TOKEN must be at least 24 characters long (make one "
                         "with: python -c 'import secrets; print(secrets.token_urlsafe(32))')")
    return token


def _rasa_url(raw: str) -> str:
    """One Rasa server, or several replicas separated by commas (web/rasa_client.py routes)."""
    urls = [url.strip().rstrip("/") for url in raw.split(",")]
    for url in urls:
        if not re.fullmatch(r"https?://[A-Za-z0-9.\-\[\]:]+", url):
            raise ValueError("RASA_URL must be addresses like http://127.0.0.1:5005, separated "
                             f"by commas for several replicas, not {url!r}")
    if len(set(urls)) != len(urls):
        raise ValueError("RASA_URL names the same replica twice")
    return ",".join(urls)


def _tracker_store_url(env: dict[str, str]) -> str:
    url = env.get("TRACKER_STORE_URL", "").strip()
    if url and not url.startswith("postgresql://"):
        raise ValueError("TRACKER_STORE_URL must be a PostgreSQL address like "
                         "postgresql://user:password@host:5432/s117 (or empty for SQLite)")
    return url


def _lock_store_url(env: dict[str, str]) -> str:
    url = env.get("LOCK_STORE_URL", "").strip()
    if url and not url.startswith(("redis://", "rediss://")):
        raise ValueError("LOCK_STORE_URL must be a Redis address like "
                         "redis://:password@host:6379/1 (or empty for one Rasa server)")
    return url


@dataclass(frozen=True)
class Settings:
    # One Rasa server, or several replicas separated by commas.
    rasa_url: str = "http://127.0.0.1:5005"
    # Signs session ids and button payloads. Without one, a random key is made at start-up,
    # so sessions do not survive a restart and several web processes would not agree.
    secret_key: str = field(default_factory=lambda: secrets.token_hex(32), repr=False)
    max_message_chars: int = 1000
    max_body_bytes: int = 8192
    rasa_connect_timeout: float = 2.0
    rasa_read_timeout: float = 10.0
    rate_limit_per_minute: int = 30          # messages a minute in one conversation
    rate_limit_per_ip_per_minute: int = 300  # all conversations from one address
    # The tracker store: a SQLite file, or TRACKER_STORE_URL (postgresql://...) when set.
    tracker_db: str = field(default="var/tracker.db", repr=False)  # may hold a password
    # Redis (LOCK_STORE_URL): Rasa's conversation locks, and here the rate-limit counts, so
    # every web process counts against one limit. Empty: counted per process.
    lock_store_url: str = field(default="", repr=False)
    # Conversations idle this many days are deleted (web/retention.py); 0: when the session ends.
    retention_days: int = 30
    # Who may show the widget in a frame (CSP frame-ancestors): 'self' plus partner origins.
    frame_ancestors: str = "'self'"
    # Daily counts and feedback comments (bot/insights.py): a SQLite path or an SQLAlchemy URL.
    insights_db: str = field(default="var/insights.db", repr=False)  # may hold a password
    # The deployer's key to /insights. Empty: the page does not exist.
    insights_token: str = field(default="", repr=False)

    @property
    def rasa_urls(self) -> tuple[str, ...]:
        return tuple(self.rasa_url.split(","))

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> "Settings":
        env = dict(os.environ if env is None else env)
        defaults = cls()
        secret = env.get("S117_SECRET_KEY", "")
        if secret and len(secret) < 32:
            raise ValueError("S117_SECRET_KEY must be at least 32 characters long")
        return cls(
            rasa_url=_rasa_url(env.get("RASA_URL", "") or defaults.rasa_url),
            secret_key=secret or defaults.secret_key,
            max_message_chars=_int(env, "S117_MAX_MESSAGE_CHARS", defaults.max_message_chars),
            max_body_bytes=_int(env, "S117_MAX_BODY_BYTES", defaults.max_body_bytes),
            rasa_connect_timeout=_float(env, "RASA_CONNECT_TIMEOUT", defaults.rasa_connect_timeout),
            rasa_read_timeout=_float(env, "RASA_READ_TIMEOUT", defaults.rasa_read_timeout),
            rate_limit_per_minute=_int(env, "S117_RATE_LIMIT_PER_MINUTE",
                                       defaults.rate_limit_per_minute),
            rate_limit_per_ip_per_minute=_int(env, "S117_RATE_LIMIT_PER_IP_PER_MINUTE",
                                              defaults.rate_limit_per_ip_per_minute),
            tracker_db=_tracker_store_url(env) or env.get("TRACKER_DB", defaults.tracker_db),
            lock_store_url=_lock_store_url(env),
            retention_days=_retention_days(env),
            frame_ancestors=_frame_ancestors(env.get("S117_FRAME_ANCESTORS", "")),
            insights_db=env.get("S117_INSIGHTS_DB", defaults.insights_db),
            insights_token=_insights_token(env),
        )
