"""The lock store, chosen by one setting: LOCK_STORE_URL.

Rasa serialises the messages of one conversation with a ticket lock. With one Rasa server the
lock can live in memory (empty LOCK_STORE_URL, the default). With several replicas sharing a
PostgreSQL tracker store it must live in Redis (LOCK_STORE_URL=redis://:password@host:6379/1).
Rasa's own RedisLockStore takes host, port and password as separate fields; this class reads
them from one URL, so endpoints.yml stays the same in both modes and only a setting changes.

Rasa's open-source Redis lock does not stop two replicas handling one conversation at the same
moment (RasaHQ/rasa issue 9213), so the web backend also sends each conversation to one replica
(web/rasa_client.py). The lock's lifetime is Rasa's TICKET_LOCK_LIFETIME (60 s by default).
"""

from __future__ import annotations

from typing import Any, Optional, Text
from urllib.parse import unquote, urlsplit

from rasa.core.lock import TicketLock
from rasa.core.lock_store import InMemoryLockStore, LockStore, RedisLockStore

KEY_PREFIX = "s117"


def redis_arguments(url: str) -> dict[str, Any]:
    """RedisLockStore's arguments from redis://[user]:password@host:port/db (or rediss://)."""
    parts = urlsplit(url)
    if parts.scheme not in ("redis", "rediss") or not parts.hostname:
        raise ValueError("LOCK_STORE_URL must look like redis://:password@host:6379/1")
    path = parts.path.strip("/")
    if path and not path.isdigit():
        raise ValueError("LOCK_STORE_URL's database must be a number, like /1")
    return {"host": parts.hostname, "port": parts.port or 6379, "db": int(path or 1),
            "username": unquote(parts.username) if parts.username else None,
            "password": unquote(parts.password) if parts.password else None,
            "use_ssl": parts.scheme == "rediss", "key_prefix": KEY_PREFIX}


class ConfiguredLockStore(LockStore):
    """In memory when LOCK_STORE_URL is empty, Redis when it is a redis:// URL.

    Only the storage calls are passed on; the ticket logic is LockStore's own, as in Rasa.
    """

    def __init__(self, endpoint_config: Any = None) -> None:
        url = ((endpoint_config.url if endpoint_config is not None else None) or "").strip()
        self.inner: LockStore = RedisLockStore(**redis_arguments(url)) if url \
            else InMemoryLockStore()
        super().__init__()

    @property
    def kind(self) -> str:
        return "redis" if isinstance(self.inner, RedisLockStore) else "in memory"

    def get_lock(self, conversation_id: Text) -> Optional[TicketLock]:
        return self.inner.get_lock(conversation_id)

    def delete_lock(self, conversation_id: Text) -> None:
        self.inner.delete_lock(conversation_id)

    def save_lock(self, lock: TicketLock) -> None:
        self.inner.save_lock(lock)
