"""GET /healthz (process up) and GET /readyz (Rasa answers a real question)."""

from __future__ import annotations

import httpx

from web.health import READINESS_QUESTION


def test_healthz_needs_nothing_else(client, fake_rasa):
    fake_rasa.handler = lambda body: httpx.Response(500)
    assert client.get("/healthz").json() == {"status": "ok"}
    assert fake_rasa.sent == []


def test_readyz_asks_rasa_a_real_question(client, fake_rasa):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert fake_rasa.sent[-1]["message"] == READINESS_QUESTION


def test_readyz_fails_when_rasa_errors(client, fake_rasa):
    fake_rasa.handler = lambda body: httpx.Response(500)
    assert client.get("/readyz").status_code == 503


def test_readyz_fails_when_rasa_says_nothing(client, fake_rasa):
    fake_rasa.handler = lambda body: httpx.Response(200, json=[])
    assert client.get("/readyz").status_code == 503


def test_every_page_has_security_headers(client):
    for path in ["/", "/healthz"]:
        headers = client.get(path).headers
        assert "unsafe-inline" not in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"


def test_readyz_deletes_its_probe_conversation(client, fake_rasa, monkeypatch):
    deleted = []
    monkeypatch.setattr("web.health.delete_conversation",
                        lambda tracker_db, sender: deleted.append(sender) or 4)
    assert client.get("/readyz").status_code == 200
    fake_rasa.handler = lambda body: httpx.Response(500)
    assert client.get("/readyz").status_code == 503
    probes = [body["sender"] for body in fake_rasa.sent]
    assert deleted == probes and len(set(probes)) == 2
