"""End to end: the real action server, Rasa server and web server, from the trained model.

Started exactly as `make run` starts them (scripts/run_all.Assistant), on free loopback ports
and a throw-away tracker store, then chatted with through POST /api/chat.
"""

from __future__ import annotations

import json
import signal
import socket
import sqlite3
import os
import time
import urllib.request

import pytest

from scripts.run_all import ROOT, Assistant, Ports

pytestmark = [pytest.mark.e2e, pytest.mark.model]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def assistant(tmp_path_factory):
    model = ROOT / "models" / "current.tar.gz"
    if not model.exists():
        pytest.fail("No trained model: run `make train` (make test does it for you)")
    var_dir = tmp_path_factory.mktemp("var")
    running = Assistant(Ports(web=free_port(), rasa=free_port(), actions=free_port()),
                        model=model, var_dir=var_dir)
    running.start()
    try:
        running.wait_until_answering(limit_seconds=300)
        yield running
    finally:
        running.stop()


def post(assistant: Assistant, path: str, body: dict) -> dict:
    url = f"http://127.0.0.1:{assistant.ports.web}{path}"
    request = urllib.request.Request(url, data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def test_a_conversation_through_the_web_backend(assistant):
    welcome = post(assistant, "/api/start", {})
    session = welcome["session"]
    assert "section 117" in welcome["messages"][0]["text"]

    answer = post(assistant, "/api/chat", {"message": "wat is section 117", "session": session})
    first = answer["messages"][0]
    assert first["text"].startswith("Section 117 is free help")
    # Public sources a person can look up, never our own file names or fact ids.
    assert first["custom"]["sources"][0]["title"].startswith("Mental Health Act 1983, section 117")
    assert "facts" not in first["custom"] and "facts.md" not in json.dumps(answer)
    more = next(b for b in first["buttons"] if b["title"] == "More detail")

    detail = post(assistant, "/api/chat", {"message": more["payload"], "session": session})
    assert "Mental Health Act 1983" in detail["messages"][0]["text"]
    assert detail["messages"][0]["custom"]["kind"] == "detail"

    crisis = post(assistant, "/api/chat", {"message": "i wnat to die", "session": session})
    text = crisis["messages"][0]["text"]
    for number in ["999", "111", "116 123", "85258"]:
        assert number in text


def texts_of(reply: dict) -> list[str]:
    return [m["text"] for m in reply["messages"]]


def test_a_carers_story_then_follow_ups_in_a_few_words(assistant):
    session = post(assistant, "/api/start", {})["session"]
    story = ("Hi, my mum was sectioned under a section 3 last year and she is now in a care "
             "home in Maidstone. The council has done a financial assessment and sent her a "
             "bill for the fees out of her pension. I thought 117 was free? Is that right?")
    reply = post(assistant, "/api/chat", {"message": story, "session": session})
    assert texts_of(reply)[0].startswith("Section 117 help is free for the person you care for")
    reply = post(assistant, "/api/chat", {"message": "could we claim those fees back?",
                                          "session": session})
    assert texts_of(reply)[0].startswith("117 help is free. If the person you care for was "
                                         "charged for it, they can claim it back.")
    reply = post(assistant, "/api/chat", {"message": "can she get it?", "session": session})
    assert texts_of(reply)[0].startswith("Yes. The person you care for can get free help.")


def test_a_situation_first_then_who_to_complain_to_in_wales(assistant):
    session = post(assistant, "/api/start", {})["session"]
    reply = post(assistant, "/api/chat", {"message": "I live in Swansea", "session": session})
    assert reply["messages"]
    reply = post(assistant, "/api/chat", {"message": "who do I complain to",
                                          "session": session})
    contacts = [c["who"] for m in reply["messages"]
                for c in (m.get("custom") or {}).get("contacts") or []]
    assert "Public Services Ombudsman for Wales" in contacts


def test_the_conversation_is_kept_in_the_sqlite_tracker_store(assistant):
    session = post(assistant, "/api/start", {})["session"]
    conversation = session.split(".")[0]
    post(assistant, "/api/chat", {"message": "are you a real person", "session": session})
    with sqlite3.connect(assistant.environment()["TRACKER_DB"]) as db:
        count = db.execute("select count(*) from events where sender_id = ?",
                           (conversation,)).fetchone()[0]
    assert count > 0


def test_rasa_and_the_action_server_listen_on_loopback_only(assistant):
    for port in (assistant.ports.rasa, assistant.ports.actions):
        with open("/proc/net/tcp") as table:
            listening = [line.split()[1] for line in table.readlines()[1:]
                         if line.split()[3] == "0A"]
        hosts = {address.split(":")[0] for address in listening
                 if int(address.split(":")[1], 16) == port}
        assert hosts == {"0100007F"}, f"port {port} listens on {hosts}"


def test_rasa_offers_no_http_api_beyond_the_rest_channel(assistant):
    url = f"http://127.0.0.1:{assistant.ports.rasa}/conversations/x/tracker"
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(url, timeout=5)
    assert error.value.code in (403, 404, 405)


def test_a_process_that_dies_while_starting_is_named(assistant):
    # Last test of the module: it kills the action server on purpose. Not supervised here (that
    # starts once the assistant answers; tests/faults covers restarts), so it is reported.
    os.killpg(assistant.pid("action server"), signal.SIGKILL)
    deadline = time.monotonic() + 10
    while assistant.dead() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    assert assistant.dead() == "action server"
