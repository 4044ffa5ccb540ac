"""Web tests: the real create_app() with Rasa faked at the HTTP transport."""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx
import pytest
from fastapi.testclient import TestClient

from web.app import create_app
from web.settings import Settings

SECRET = "test-secret-0123456789abcdef0123456789"


class FakeRasa:
    """Records what the backend sends to Rasa and answers with a handler."""

    def __init__(self) -> None:
        self.sent: list[dict] = []
        self.handler: Callable[[dict], httpx.Response] = self.welcome

    @staticmethod
    def welcome(body: dict) -> httpx.Response:
        return httpx.Response(200, json=[
            {"recipient_id": body["sender"], "text": "Hello.\n\nPick a topic.",
             "buttons": [{"title": "What is section 117?", "payload": "/ask_what_is_117"}]},
            {"recipient_id": body["sender"], "custom": {"kind": "easy", "alt": "A wave",
                                                       "sources": ["mha_s117_1"],
                                                       "facts": "F1.1",
                                                       "checked": "2026-11-25"}},
            {"recipient_id": body["sender"], "image": "/static/symbols/hello.svg"},
        ])

    def transport(self) -> httpx.MockTransport:
        def handle(request: httpx.Request) -> httpx.Response:
            assert request.url.path == "/webhooks/rest/webhook"
            body = json.loads(request.content)
            self.sent.append(body)
            return self.handler(body)
        return httpx.MockTransport(handle)


@pytest.fixture
def fake_rasa() -> FakeRasa:
    return FakeRasa()


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(secret_key=SECRET, rate_limit_per_minute=1000,
                    rate_limit_per_ip_per_minute=1000, tracker_db=str(tmp_path / "tracker.db"),
                    insights_db=str(tmp_path / "insights.db"))


@pytest.fixture
def client(settings: Settings, fake_rasa: FakeRasa) -> TestClient:
    with TestClient(create_app(settings, rasa_transport=fake_rasa.transport())) as test_client:
        yield test_client
