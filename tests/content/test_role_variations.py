"""Rasa picks the right role variation of every topic answer, and buttons survive templating.

Uses Rasa's own response generator, so this is what a user would see: a carer reads about
"the person you care for", an advocate about "your client", everyone else about "you".
The More detail payload is written with doubled braces in domain.yml; after templating it must be
the plain JSON payload that action_more_detail reads.
"""

from __future__ import annotations

import asyncio
import json

import pytest
from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet
from rasa.shared.core.trackers import DialogueStateTracker

from tests.content import checks

DOMAIN = Domain.load(str(checks.ROOT / "domain.yml"))
NLG = TemplatedNaturalLanguageGenerator(DOMAIN.responses)
INTENTS = set(checks.load_intents())
TOPICS = [t for t in checks.topic_names(checks.load_responses()) if f"ask_{t}" in INTENTS]
EXPECTED = {"carer": "you care for", "advocate": "your client", "patient": "you"}


def generate(response: str, role: str | None) -> dict:
    events = [SlotSet("role", role)] if role else []
    tracker = DialogueStateTracker.from_events("role-test", events, slots=DOMAIN.slots)
    return asyncio.run(NLG.generate(response, tracker, "rest"))


@pytest.mark.parametrize("role", ["carer", "advocate", "patient", None])
@pytest.mark.parametrize("topic", TOPICS)
def test_the_answer_speaks_to_the_role(topic, role):
    message = generate(f"utter_{topic}", role)
    assert EXPECTED[role or "patient"] in message["text"].lower(), (topic, role, message["text"])
    if role in (None, "patient"):
        assert "you care for" not in message["text"] and "your client" not in message["text"].lower()


@pytest.mark.parametrize("topic", TOPICS)
def test_more_detail_button_payload_is_plain_json_after_templating(topic):
    buttons = generate(f"utter_{topic}", None).get("buttons") or []
    payload = next(b["payload"] for b in buttons if b["payload"].startswith("/more_detail"))
    assert json.loads(payload.removeprefix("/more_detail")) == {"topic": topic}


def test_role_acknowledgement_follows_the_role():
    assert "person you care for" in generate("utter_role_ack", "carer")["text"]
    assert "your client" in generate("utter_role_ack", "advocate")["text"]
    assert "your own care" in generate("utter_role_ack", "patient")["text"]
