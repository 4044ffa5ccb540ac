"""Talks to Rasa's REST channel: one server, or several replicas. The transport can be swapped
in tests.

With several replicas (RASA_URL lists them) each conversation always goes to the same replica,
chosen by rendezvous hashing of its id: Rasa's open-source Redis lock store does not stop two
replicas handling one conversation at once (RasaHQ/rasa issue 9213), and one replica per
conversation does. Adding or removing a replica moves only the conversations of that replica.

When the chosen replica cannot be reached (nothing listening, or no connection within the
connect timeout) the message has not been delivered, so it goes to the next replica in the
conversation's order, which reads the conversation from the shared tracker store and carries on.
A replica that could not be reached is tried last for the next few seconds. A replica that took
the message but failed or was slow is not retried elsewhere: it may have handled the message.
"""

from __future__ import annotations

import hashlib
import time
from typing import Any, Callable

import httpx


class RasaUnavailable(Exception):
    """Rasa did not answer usefully: down, slow, an error status or a malformed body."""


class ReplicaUnreachable(RasaUnavailable):
    """No connection was made, so the message was not delivered and may go elsewhere."""


class RasaClient:
    """One Rasa server."""

    def __init__(self, base_url: str, connect_timeout: float, read_timeout: float,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        timeout = httpx.Timeout(read_timeout, connect=connect_timeout)
        self.base_url = base_url
        self._client = httpx.AsyncClient(base_url=base_url, timeout=timeout, transport=transport)

    async def send(self, sender: str, message: str,
                   metadata: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        body: dict[str, Any] = {"sender": sender, "message": message}
        if metadata:
            body["metadata"] = metadata
        try:
            response = await self._client.post("/webhooks/rest/webhook", json=body)
        except (httpx.ConnectError, httpx.ConnectTimeout) as error:
            raise ReplicaUnreachable(type(error).__name__) from error
        except httpx.HTTPError as error:
            raise RasaUnavailable(type(error).__name__) from error
        if response.status_code != 200:
            raise RasaUnavailable(f"status {response.status_code}")
        try:
            body = response.json()
        except ValueError as error:
            raise RasaUnavailable("body is not JSON") from error
        if not isinstance(body, list) or not all(isinstance(item, dict) for item in body):
            raise RasaUnavailable("body is not a list of messages")
        return body

    async def aclose(self) -> None:
        await self._client.aclose()


def replica_order(sender: str, urls: tuple[str, ...] | list[str]) -> list[int]:
    """The replicas in the order this conversation tries them (rendezvous hashing)."""
    def weight(index: int) -> bytes:
        return hashlib.sha256(f"{urls[index]}\n{sender}".encode()).digest()
    return sorted(range(len(urls)), key=weight, reverse=True)


class RasaReplicas:
    """Several Rasa servers sharing one tracker store; also works with just one."""

    def __init__(self, urls: tuple[str, ...] | list[str], connect_timeout: float,
                 read_timeout: float, transport: httpx.AsyncBaseTransport | None = None,
                 retry_after: float = 5.0, clock: Callable[[], float] = time.monotonic) -> None:
        if not urls:
            raise ValueError("at least one Rasa server is needed")
        self.urls = tuple(urls)
        self.replicas = [RasaClient(url, connect_timeout, read_timeout, transport)
                         for url in self.urls]
        self.retry_after = retry_after
        self._clock = clock
        self._unreachable_until = [0.0] * len(self.urls)

    def order(self, sender: str) -> list[int]:
        """Hash order, with replicas that were just unreachable moved to the end."""
        now = self._clock()
        ranked = replica_order(sender, self.urls)
        return sorted(ranked, key=lambda index: self._unreachable_until[index] > now)

    async def send(self, sender: str, message: str,
                   metadata: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        last_error: RasaUnavailable | None = None
        for index in self.order(sender):
            try:
                return await self.replicas[index].send(sender, message, metadata)
            except ReplicaUnreachable as error:
                self._unreachable_until[index] = self._clock() + self.retry_after
                last_error = error
        raise last_error or RasaUnavailable("no replica")

    async def send_to(self, index: int, sender: str, message: str) -> list[dict[str, Any]]:
        """One replica only, no failover: for /readyz, which reports each replica."""
        return await self.replicas[index].send(sender, message)

    async def aclose(self) -> None:
        for replica in self.replicas:
            await replica.aclose()
