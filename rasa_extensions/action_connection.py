"""One kept-open connection to the action server instead of a new one for every action call.

Rasa 3.6's EndpointConfig.request makes a new aiohttp ClientSession for each request, so each
custom action (one or two a turn) opened a TCP connection, sent, and closed it again. On this
machine a loopback connection's set-up and close cost the Rasa server about 0.5 ms of its own
time a call (py-spy, 2026-12-07, issue 15), besides the session itself.

Here requests share one ClientSession per endpoint and event loop, with keep-alive connections.
The rest is Rasa's own method: the same headers, query parameters, time-out and status check
(tests/unit/test_action_connection.py runs both against one server). One difference: the JSON
is written and read with ujson (a dependency of Rasa's), which gives the same values as the
json module (checked on all 127,185 events of a test store) in about 40% of the time. The body
is the whole conversation so far, twice a turn: 0.72 -> 0.29 ms for a 10-turn conversation.
An endpoint with a certificate file (cafile) still goes through Rasa's own method.

Idle connections are closed from our side after IDLE_SECONDS, before the action server's own
keep-alive time-out (Sanic's 5 s) closes them from its side, so that a request is not sent on a
connection the server is just closing. Installed by rasa_extensions/__init__.py.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
from typing import Any, Optional, Text

import aiohttp
import ujson
from aiohttp.client_exceptions import ContentTypeError
from rasa.core.constants import DEFAULT_REQUEST_TIMEOUT
from rasa.utils.endpoints import ClientResponseError, EndpointConfig, concat_url

RASAS_OWN = EndpointConfig.request
IDLE_SECONDS = 2.0
# Held here until the process ends, whatever becomes of their endpoint: aiohttp reports a
# session collected before it was closed. A process makes one per endpoint and event loop.
_KEPT: list[aiohttp.ClientSession] = []


@atexit.register
def _close_at_exit() -> None:
    """Close the kept connections when the process ends, so that aiohttp has no open session
    to report ("Unclosed client session"). By then the event loop may be gone, so this is
    aiohttp 3.9's synchronous part of closing (what ClientSession.close() awaits)."""
    for session in _KEPT:
        with contextlib.suppress(Exception):
            if not session.closed:
                session.connector._close()


def kept_session(endpoint: EndpointConfig) -> aiohttp.ClientSession:
    """The endpoint's shared session in the running event loop, made on first use."""
    loop = asyncio.get_running_loop()
    session: Optional[aiohttp.ClientSession] = getattr(endpoint, "_kept_session", None)
    if session is None or session.closed or getattr(endpoint, "_kept_loop", None) is not loop:
        auth = (aiohttp.BasicAuth(endpoint.basic_auth["username"],
                                  endpoint.basic_auth["password"])
                if endpoint.basic_auth else None)
        session = aiohttp.ClientSession(
            headers=endpoint.headers, auth=auth,
            timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
            json_serialize=ujson.dumps,
            connector=aiohttp.TCPConnector(keepalive_timeout=IDLE_SECONDS))
        endpoint._kept_session, endpoint._kept_loop = session, loop
        _KEPT.append(session)
    return session


async def request(self: EndpointConfig, method: Text = "post", subpath: Optional[Text] = None,
                  content_type: Optional[Text] = "application/json", compress: bool = False,
                  **kwargs: Any) -> Optional[Any]:
    """Rasa's EndpointConfig.request, on the kept session."""
    if self.cafile:
        return await RASAS_OWN(self, method, subpath, content_type, compress, **kwargs)
    headers = {}
    if content_type:
        headers["Content-Type"] = content_type
    if "headers" in kwargs:
        headers.update(kwargs["headers"])
        del kwargs["headers"]
    if self.headers:
        headers.update(self.headers)
    url = concat_url(self.url, subpath)
    async with kept_session(self).request(method, url, headers=headers,
                                          params=self.combine_parameters(kwargs),
                                          compress=compress, **kwargs) as response:
        if response.status >= 400:
            raise ClientResponseError(response.status, response.reason,
                                      await response.content.read())
        try:
            return await response.json(loads=ujson.loads)
        except ContentTypeError:
            return None


def install() -> None:
    EndpointConfig.request = request
