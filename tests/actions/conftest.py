"""Action tests: real actions with a collecting dispatcher and a hand-built tracker."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def domain() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "domain.yml").read_text())


def make_tracker(slots: dict[str, Any] | None = None, events: list[dict] | None = None,
                 text: str = "", intent: str = "", entities: list[dict] | None = None,
                 intent_ranking: list[dict] | None = None,
                 active_loop: str | None = None) -> Tracker:
    latest = {"text": text, "intent": {"name": intent, "confidence": 1.0},
              "entities": entities or [], "intent_ranking": intent_ranking or []}
    return Tracker(sender_id="test", slots=slots or {}, latest_message=latest,
                   events=events or [], paused=False, followup_action=None,
                   active_loop={"name": active_loop} if active_loop else {},
                   latest_action_name="action_listen")


def bot_event(utter_action: str) -> dict:
    return {"event": "bot", "text": "…", "metadata": {"utter_action": utter_action}}


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()
