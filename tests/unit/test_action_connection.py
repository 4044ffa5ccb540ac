"""The kept-open connection to the action server (rasa_extensions/action_connection.py): the
same answers and errors as Rasa's own EndpointConfig.request, on one connection."""

from __future__ import annotations

import asyncio
import json

import pytest
from aiohttp import web
from rasa.utils.endpoints import ClientResponseError, EndpointConfig

from rasa_extensions import action_connection


async def serve(handler):
    """A real HTTP server on a free loopback port that records each request's client port."""
    seen: list[dict] = []

    async def record(request: web.Request) -> web.StreamResponse:
        seen.append({"peer": request.transport.get_extra_info("peername")[1],
                     "headers": dict(request.headers), "query": dict(request.query),
                     "body": await request.text()})
        return await handler(request)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", record)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    return runner, f"http://127.0.0.1:{port}/webhook", seen


async def ok(request: web.Request) -> web.Response:
    return web.json_response({"events": [], "responses": [{"text": "hi"}]})


async def calls(request_method, handler, times: int, **endpoint_args):
    runner, url, seen = await serve(handler)
    endpoint = EndpointConfig(url, **endpoint_args)
    try:
        answers = []
        for n in range(times):
            try:
                answers.append(await request_method(endpoint, json={"next_action": f"a{n}"},
                                                    method="post"))
            except ClientResponseError as error:
                answers.append(("error", error.status, error.text))
        return answers, seen
    finally:
        session = getattr(endpoint, "_kept_session", None)
        if session is not None:
            await session.close()
        await runner.cleanup()


def test_three_calls_share_one_connection_where_rasa_opened_three():
    ours, ours_seen = asyncio.run(calls(action_connection.request, ok, 3))
    theirs, theirs_seen = asyncio.run(calls(action_connection.RASAS_OWN, ok, 3))
    assert ours == theirs == [{"events": [], "responses": [{"text": "hi"}]}] * 3
    assert len({r["peer"] for r in ours_seen}) == 1
    assert len({r["peer"] for r in theirs_seen}) == 3


def test_the_same_request_as_rasas_own():
    args = {"headers": {"X-Test": "1"}, "params": {"a": "b"}, "token": "t0k"}
    _, ours = asyncio.run(calls(action_connection.request, ok, 1, **args))
    _, theirs = asyncio.run(calls(action_connection.RASAS_OWN, ok, 1, **args))
    assert ours[0]["query"] == theirs[0]["query"]
    assert json.loads(ours[0]["body"]) == json.loads(theirs[0]["body"])
    for name in ("Content-Type", "X-Test"):
        assert ours[0]["headers"][name] == theirs[0]["headers"][name]
    assert ours[0]["query"] == {"a": "b", "token": "t0k"}


def test_a_conversation_reaches_the_server_and_comes_back_as_the_same_values():
    """ujson writes and reads the JSON: the values must be json's, to the last digit."""
    tracker = {"sender_id": "s1", "events": [
        {"event": "user", "timestamp": 1733612345.1234567, "text": "my mum's £180 top-up / "
         "Caerdydd \u00e9\u2019 \"quoted\"\n", "parse_data": {"intent": {
             "name": "ask_top_up", "confidence": 0.8712345678901234}, "entities": [],
             "ranking": [0.1, 1e-09, 2.5e-300, 0.0, -0.0, 3, 10**15]}},
        {"event": "slot", "name": "elig_sections", "value": ["37/41", None, True, False]}]}

    async def echo(request: web.Request) -> web.Response:
        return web.Response(text=await request.text(), content_type="application/json")

    async def exchange():
        runner, url, seen = await serve(echo)
        endpoint = EndpointConfig(url)
        try:
            back = await action_connection.request(endpoint, json=tracker, method="post")
            return back, seen[0]["body"]
        finally:
            await endpoint._kept_session.close()
            await runner.cleanup()

    back, sent = asyncio.run(exchange())
    assert json.loads(sent) == tracker
    assert back == tracker


@pytest.mark.parametrize("status", [400, 500])
def test_an_error_status_raises_as_rasas_does(status):
    async def failing(request: web.Request) -> web.Response:
        return web.Response(status=status, text="no")

    ours, _ = asyncio.run(calls(action_connection.request, failing, 2))
    theirs, _ = asyncio.run(calls(action_connection.RASAS_OWN, failing, 2))
    assert ours == theirs == [("error", status, b"no")] * 2


def test_a_reply_that_is_not_json_is_none_as_in_rasa():
    async def text(request: web.Request) -> web.Response:
        return web.Response(text="plain")

    ours, _ = asyncio.run(calls(action_connection.request, text, 1))
    theirs, _ = asyncio.run(calls(action_connection.RASAS_OWN, text, 1))
    assert ours == theirs == [None]


def test_a_restarted_server_is_reached_on_a_new_connection():
    """The action server restarted (its old connections closed): the next call still works."""
    async def scenario():
        runner, url, seen = await serve(ok)
        endpoint = EndpointConfig(url)
        try:
            first = await action_connection.request(endpoint, json={}, method="post")
            port = int(url.split(":")[2].split("/")[0])
            await runner.cleanup()  # closes the kept connection from the server's side
            runner2 = web.AppRunner(runner.app)
            await runner2.setup()
            site = web.TCPSite(runner2, "127.0.0.1", port)
            await site.start()
            await asyncio.sleep(0.05)
            second = await action_connection.request(endpoint, json={}, method="post")
            await runner2.cleanup()
            return first, second, seen
        finally:
            await endpoint._kept_session.close()

    first, second, seen = asyncio.run(scenario())
    assert first == second == {"events": [], "responses": [{"text": "hi"}]}
    assert len(seen) == 2 and seen[0]["peer"] != seen[1]["peer"]


def test_installed_when_rasa_loads_our_extensions():
    import rasa_extensions  # noqa: F401  (installs on import)
    assert EndpointConfig.request is action_connection.request


def test_nothing_is_reported_unclosed_when_the_process_ends(tmp_path):
    """A real process makes a call, drops the endpoint and exits without closing: aiohttp must
    not report an unclosed session or connector (the conversation gate's run ended so)."""
    import subprocess
    import sys
    from pathlib import Path

    script = tmp_path / "call_and_exit.py"
    script.write_text(
        "import asyncio\n"
        "from aiohttp import web\n"
        "from rasa.utils.endpoints import EndpointConfig\n"
        "from rasa_extensions import action_connection\n"
        "async def main():\n"
        "    app = web.Application()\n"
        "    app.router.add_post('/w', lambda r: web.json_response({'ok': 1}))\n"
        "    runner = web.AppRunner(app); await runner.setup()\n"
        "    site = web.TCPSite(runner, '127.0.0.1', 0); await site.start()\n"
        "    port = site._server.sockets[0].getsockname()[1]\n"
        "    e = EndpointConfig(f'http://127.0.0.1:{port}/w')\n"
        "    print(await action_connection.request(e, json={}))\n"
        "    await runner.cleanup()\n"
        "asyncio.run(main())\n"
        "import gc; gc.collect()  # the endpoint is gone before the process ends\n")
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-W", "always", str(script)], cwd=root,
                          capture_output=True, text=True, timeout=120,
                          env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr[-2000:]
    assert "{'ok': 1}" in done.stdout
    assert "Unclosed" not in done.stderr, done.stderr[-2000:]
