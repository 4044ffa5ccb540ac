"""The scaled mode with real servers: two Rasa replicas (each with its action server) and two
web workers on a real PostgreSQL and a real Redis, started as `make run-scaled` starts them
(scripts/run_all.Assistant with RASA_REPLICAS=2 and WEB_WORKERS=2).

- a conversation continues, with its slots, after its replica is killed;
- two messages of one conversation sent at once are handled one after the other;
- "Delete my conversation" and retention on the PostgreSQL tracker store;
- rate limits shared across the two web workers through Redis;
- /readyz reports each replica.

PostgreSQL and Redis are throw-away servers (scripts/throwaway_postgres.py and
scripts/throwaway_redis.py). If either cannot be started the tests fail with the reason: they
are never skipped.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
import sqlalchemy as sa

from scripts.ports import free_ports
from scripts.environ import overridden
from scripts.run_all import ROOT, Assistant, Ports
from scripts.throwaway_postgres import ThrowawayPostgres
from scripts.throwaway_redis import ThrowawayRedis
from tests.supervised import supervised
from web import signing
from web.rasa_client import replica_order
from web.retention import delete_idle_conversations, kept_seconds

pytestmark = [pytest.mark.e2e, pytest.mark.model]

SECRET = "scaled-test-secret-0123456789abcdef012345"
PER_CONVERSATION_LIMIT = 8
DAY = 86_400


@pytest.fixture(scope="module")
def stores():
    postgres, redis = ThrowawayPostgres(max_connections=80), ThrowawayRedis()
    try:
        postgres.start()
        redis.start()
        yield {"tracker": postgres.create_database("s117"),
               "insights": postgres.create_database("s117_insights"),
               "locks": redis.url(1)}
    finally:
        redis.stop()
        postgres.stop()


@pytest.fixture(scope="module")
def assistant(stores, tmp_path_factory):
    model = ROOT / "models" / "current.tar.gz"
    if not model.exists():
        pytest.fail("No trained model: run `make train` (make test does it for you)")
    settings = {"S117_SECRET_KEY": SECRET, "TRACKER_STORE_URL": stores["tracker"],
                "LOCK_STORE_URL": stores["locks"], "S117_INSIGHTS_DB": stores["insights"],
                "S117_RATE_LIMIT_PER_MINUTE": str(PER_CONVERSATION_LIMIT),
                "S117_RATE_LIMIT_PER_IP_PER_MINUTE": "1000"}
    ports = Ports(web=free_ports(1), rasa=free_ports(2), actions=free_ports(2), replicas=2,
                  web_workers=2)
    running = Assistant(ports, model=model, var_dir=tmp_path_factory.mktemp("var"))
    with overridden(settings), supervised(running, limit_seconds=420):
        yield running


def post(assistant: Assistant, path: str, body: dict) -> httpx.Response:
    # A new connection each time, so the two web workers share the requests between them.
    return httpx.post(f"http://127.0.0.1:{assistant.ports.web}{path}", json=body, timeout=60)


def start(assistant: Assistant) -> str:
    response = post(assistant, "/api/start", {})
    assert response.status_code == 200
    return response.json()["session"]


def say(assistant: Assistant, session: str, text: str) -> list[str]:
    response = post(assistant, "/api/chat", {"message": text, "session": session})
    assert response.status_code == 200, response.text
    return [m["text"] for m in response.json()["messages"] if m.get("text")]


def events(stores: dict, conversation: str) -> list[dict]:
    engine = sa.create_engine(stores["tracker"])
    try:
        with engine.connect() as connection:
            rows = connection.execute(sa.text(
                "SELECT type_name, action_name, data FROM events WHERE sender_id = :s "
                "ORDER BY id"), {"s": conversation}).fetchall()
    finally:
        engine.dispose()
    return [{"type": r[0], "action": r[1], **json.loads(r[2])} for r in rows]


def slots(stores: dict, conversation: str) -> dict:
    return {e["name"]: e["value"] for e in events(stores, conversation) if e["type"] == "slot"}


def refuses_connections(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) != 0


def test_readyz_reports_both_replicas(assistant):
    body = httpx.get(f"http://127.0.0.1:{assistant.ports.web}/readyz", timeout=60).json()
    assert body == {"status": "ready", "replicas": [{"replica": 1, "status": "ready"},
                                                    {"replica": 2, "status": "ready"}]}


def test_conversations_are_kept_in_postgresql_from_both_replicas(assistant, stores):
    """New conversations until each replica is the home of one (the hash decides; 40 tries
    all landing on one replica has a chance of 2 in a million million), each stored."""
    urls = assistant.environment()["RASA_URL"].split(",")
    stored_by_home: dict[int, bool] = {}
    for _ in range(40):
        session = start(assistant)
        conversation = signing.conversation_id(SECRET, session)
        home = replica_order(conversation, urls)[0]
        if home in stored_by_home:
            continue
        say(assistant, session, "what is section 117")
        stored_by_home[home] = any(e["type"] == "user" for e in events(stores, conversation))
        if len(stored_by_home) == 2:
            break
    assert stored_by_home == {0: True, 1: True}


def test_two_messages_of_one_conversation_sent_at_once_are_handled_in_turn(assistant, stores):
    session = start(assistant)
    say(assistant, session, "hello")
    texts = ["I'm his mum, he was on a section 3", "what is aftercare"]
    with ThreadPoolExecutor(2) as pool:
        replies = list(pool.map(lambda text: say(assistant, session, text), texts))
    assert all(replies), replies
    stored = events(stores, signing.conversation_id(SECRET, session))
    said = [e["text"] for e in stored if e["type"] == "user"]
    assert sorted(said[-2:]) == sorted(texts)
    # Each message was taken only once the answer to the one before had finished: in the
    # stored events, every user message follows an action_listen, never another turn's action.
    for index, event in enumerate(stored):
        if event["type"] == "user" and index:
            before = [e for e in stored[:index] if e["type"] == "action"]
            assert before[-1]["action"] == "action_listen", [e["type"] for e in stored]
    assert len(said) == 4  # the welcome's /greet, "hello" and the two sent at once


def test_delete_my_conversation_deletes_its_rows_in_postgresql(assistant, stores):
    session = start(assistant)
    say(assistant, session, "my client was on a section 37, is the aftercare free")
    conversation = signing.conversation_id(SECRET, session)
    assert events(stores, conversation)
    response = post(assistant, "/api/forget", {"session": session})
    assert response.json() == {"deleted": True}
    assert events(stores, conversation) == []


def test_retention_deletes_idle_conversations_in_postgresql(assistant, stores):
    old, recent = start(assistant), start(assistant)
    for session in (old, recent):
        say(assistant, session, "who pays for my care home")
    old_id, recent_id = (signing.conversation_id(SECRET, s) for s in (old, recent))
    engine = sa.create_engine(stores["tracker"])
    try:
        with engine.begin() as connection:
            connection.execute(sa.text("UPDATE events SET timestamp = timestamp - :age "
                                       "WHERE sender_id = :s"), {"age": 40 * DAY, "s": old_id})
    finally:
        engine.dispose()
    purge = delete_idle_conversations(stores["tracker"], kept_seconds(30))
    assert purge.conversations >= 1
    assert events(stores, old_id) == []
    assert events(stores, recent_id)


def test_the_rate_limit_is_shared_by_the_two_web_workers(assistant):
    """Counted per worker, about twice the limit would get through."""
    session = start(assistant)
    codes = [post(assistant, "/api/chat", {"message": "hello", "session": session}).status_code
             for _ in range(PER_CONVERSATION_LIMIT + 4)]
    assert codes.count(200) == PER_CONVERSATION_LIMIT, codes
    assert codes[PER_CONVERSATION_LIMIT:] == [429] * 4


def test_a_conversation_continues_with_its_slots_after_its_replica_is_killed(assistant, stores,
                                                                             capsys):
    """Last in this file: it kills a replica (the supervisor restarts it)."""
    session = start(assistant)
    story = ("I'm his sister. My brother was on a section 3 and he is in a care home now. "
             "The council says he has to pay.")
    transcript = [("carer", story), ("assistant", " ".join(say(assistant, session, story)))]
    conversation = signing.conversation_id(SECRET, session)
    urls = assistant.environment()["RASA_URL"].split(",")
    home = replica_order(conversation, urls)[0]
    name = f"Rasa server {home + 1}"
    port = assistant.ports.rasa_port(home)
    os.killpg(assistant.pid(name), signal.SIGKILL)
    deadline = time.monotonic() + 10
    while not refuses_connections(port) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert refuses_connections(port), "the killed replica still listens"

    follow_up = "can he get it?"
    answer = say(assistant, session, follow_up)
    transcript += [(f"(replica {home + 1} killed) carer", follow_up),
                   ("assistant", " ".join(answer))]
    assert refuses_connections(port), "answered before the killed replica came back"
    assert answer[0].startswith("Yes. The person you care for can get free help"), answer
    known = slots(stores, conversation)
    assert known.get("role") == "carer"
    assert "3" in json.dumps(known.get("elig_sections") or known.get("sections"))
    with capsys.disabled():
        print("\nFailover transcript:")
        for who, text in transcript:
            print(f"  {who}: {text}")
        print(f"  slots in PostgreSQL: role={known.get('role')!r} "
              f"sections={known.get('elig_sections') or known.get('sections')!r}")
