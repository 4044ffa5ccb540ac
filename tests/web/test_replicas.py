"""Routing to Rasa replicas (web/rasa_client.py) and /readyz per replica, with the replicas
faked at the HTTP transport. The real thing, with killed replicas, is in tests/scaled."""

from __future__ import annotations

import asyncio
import json
from collections import Counter

import httpx
import pytest
from fastapi.testclient import TestClient

from web.app import create_app
from web.rasa_client import RasaReplicas, RasaUnavailable, replica_order
from web.settings import Settings

from tests.web.conftest import SECRET

URLS = ("http://127.0.0.1:5005", "http://127.0.0.1:5006", "http://127.0.0.1:5007")


class FakeReplicas:
    """Three fake Rasa servers told apart by port; any of them can be 'down' or failing."""

    def __init__(self) -> None:
        self.handled: list[tuple[int, str]] = []  # (port, sender)
        self.down: set[int] = set()
        self.failing: set[int] = set()
        self.silent: set[int] = set()

    def transport(self) -> httpx.MockTransport:
        def handle(request: httpx.Request) -> httpx.Response:
            port = request.url.port
            if port in self.down:
                raise httpx.ConnectError("connection refused", request=request)
            body = json.loads(request.content)
            self.handled.append((port, body["sender"]))
            if port in self.failing:
                return httpx.Response(500)
            if port in self.silent:
                raise httpx.ReadTimeout("slow", request=request)
            return httpx.Response(200, json=[{"recipient_id": body["sender"],
                                              "text": f"answered by {port}"}])
        return httpx.MockTransport(handle)


def replicas(fake: FakeReplicas, clock=lambda: 0.0) -> RasaReplicas:
    return RasaReplicas(URLS, 1, 1, transport=fake.transport(), clock=clock)


def test_the_order_is_fixed_for_a_conversation_and_spreads_conversations_evenly():
    assert replica_order("conv-a", URLS) == replica_order("conv-a", URLS)
    firsts = Counter(replica_order(f"conv-{n}", URLS)[0] for n in range(3000))
    assert set(firsts) == {0, 1, 2}
    assert all(800 < count < 1200 for count in firsts.values()), firsts


def test_removing_a_replica_moves_only_its_own_conversations():
    senders = [f"conv-{n}" for n in range(500)]
    before = {s: URLS[replica_order(s, URLS)[0]] for s in senders}
    fewer = URLS[:2]
    after = {s: fewer[replica_order(s, fewer)[0]] for s in senders}
    moved = [s for s in senders if before[s] != after[s]]
    assert moved and all(before[s] == URLS[2] for s in moved)


def test_every_message_of_a_conversation_goes_to_its_own_replica():
    fake = FakeReplicas()
    rasa = replicas(fake)
    for _ in range(5):
        asyncio.run(rasa.send("conv-1", "hello"))
    ports = {port for port, _ in fake.handled}
    assert len(ports) == 1
    assert ports == {int(URLS[replica_order("conv-1", URLS)[0]].rsplit(":", 1)[1])}


def test_an_unreachable_replica_fails_over_to_the_next_in_the_conversations_order():
    fake = FakeReplicas()
    now = [0.0]
    rasa = replicas(fake, clock=lambda: now[0])
    order = [int(URLS[i].rsplit(":", 1)[1]) for i in replica_order("conv-1", URLS)]
    fake.down.add(order[0])
    reply = asyncio.run(rasa.send("conv-1", "hello"))
    assert reply[0]["text"] == f"answered by {order[1]}"
    # The unreachable one is tried last for a few seconds, then first again.
    fake.down.clear()
    now[0] = 1.0
    assert asyncio.run(rasa.send("conv-1", "again"))[0]["text"] == f"answered by {order[1]}"
    now[0] = 10.0
    assert asyncio.run(rasa.send("conv-1", "back"))[0]["text"] == f"answered by {order[0]}"


def test_a_replica_that_took_the_message_and_failed_is_not_asked_again_elsewhere():
    """It may have handled the message: sending it again could answer it twice."""
    fake = FakeReplicas()
    rasa = replicas(fake)
    first = int(URLS[replica_order("conv-1", URLS)[0]].rsplit(":", 1)[1])
    for trouble in (fake.failing, fake.silent):
        fake.handled.clear()
        trouble.add(first)
        with pytest.raises(RasaUnavailable):
            asyncio.run(rasa.send("conv-1", "hello"))
        assert [port for port, _ in fake.handled] == [first]
        trouble.clear()


def test_all_replicas_down_is_rasa_unavailable():
    fake = FakeReplicas()
    fake.down.update({5005, 5006, 5007})
    with pytest.raises(RasaUnavailable):
        asyncio.run(replicas(fake).send("conv-1", "hello"))


def test_rasa_url_lists_replicas_and_is_checked():
    settings = Settings.from_env({"RASA_URL": "http://127.0.0.1:5005/, http://127.0.0.1:5006"})
    assert settings.rasa_urls == ("http://127.0.0.1:5005", "http://127.0.0.1:5006")
    for bad in ("127.0.0.1:5005", "http://127.0.0.1:5005,http://127.0.0.1:5005",
                "http://a b", "ftp://x"):
        with pytest.raises(ValueError, match="RASA_URL"):
            Settings.from_env({"RASA_URL": bad})


def test_the_store_urls_are_checked():
    settings = Settings.from_env({"TRACKER_STORE_URL": "postgresql://u:p@db:5432/s117",
                                  "LOCK_STORE_URL": "redis://:p@cache:6379/1"})
    assert settings.tracker_db == "postgresql://u:p@db:5432/s117"
    assert settings.lock_store_url == "redis://:p@cache:6379/1"
    assert ":p@" not in repr(settings)  # no password printed
    assert Settings.from_env({"TRACKER_DB": "var/x.db"}).tracker_db == "var/x.db"
    with pytest.raises(ValueError, match="TRACKER_STORE_URL"):
        Settings.from_env({"TRACKER_STORE_URL": "mysql://x"})
    with pytest.raises(ValueError, match="LOCK_STORE_URL"):
        Settings.from_env({"LOCK_STORE_URL": "http://cache:6379"})


@pytest.fixture
def three(tmp_path):
    fake = FakeReplicas()
    settings = Settings(secret_key=SECRET, rasa_url=",".join(URLS),
                        tracker_db=str(tmp_path / "tracker.db"),
                        insights_db=str(tmp_path / "insights.db"))
    with TestClient(create_app(settings, rasa_transport=fake.transport())) as client:
        yield client, fake


def test_readyz_reports_each_replica_by_number(three):
    client, fake = three
    body = client.get("/readyz").json()
    assert body == {"status": "ready", "replicas": [
        {"replica": 1, "status": "ready"}, {"replica": 2, "status": "ready"},
        {"replica": 3, "status": "ready"}]}
    assert sorted(port for port, _ in fake.handled) == [5005, 5006, 5007]
    fake.down.add(5006)
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["replicas"][1] == {"replica": 2, "status": "not ready",
                                              "reason": "ConnectError"}
    assert "127.0.0.1" not in response.text
    fake.down.update({5005, 5007})
    assert client.get("/readyz").status_code == 503


def test_a_conversation_continues_through_the_web_backend_when_its_replica_is_down(three):
    client, fake = three
    first = client.post("/api/chat", json={"message": "hello"}).json()
    port = fake.handled[-1][0]
    fake.down.add(port)
    second = client.post("/api/chat", json={"message": "and then",
                                            "session": first["session"]}).json()
    assert fake.handled[-1][0] != port
    assert fake.handled[-1][1] == fake.handled[0][1]  # the same conversation id
    assert second["messages"][0]["text"].startswith("answered by")
