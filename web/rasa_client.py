"""Talks to Rasa's REST channel over loopback. The transport can be swapped in tests."""

from __future__ import annotations

from typing import Any

import httpx


class RasaUnavailable(Exception):
    """Rasa did not answer usefully: down, slow, an error status or a malformed body."""


class RasaClient:
    def __init__(self, base_url: str, connect_timeout: float, read_timeout: float,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        timeout = httpx.Timeout(read_timeout, connect=connect_timeout)
        self._client = httpx.AsyncClient(base_url=base_url, timeout=timeout, transport=transport)

    async def send(self, sender: str, message: str) -> list[dict[str, Any]]:
        try:
            response = await self._client.post(
                "/webhooks/rest/webhook", json={"sender": sender, "message": message})
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
