"""Rasa sends the domain only to validate_* actions (endpoints.yml `enable_selective_domain`);
every other action must say exactly the same with the domain Rasa sent as with none."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig
from rasa_sdk.executor import CollectingDispatcher

from actions.answer import ActionAnswer
from actions.complaints import ActionComplaintContacts
from actions.define_term import ActionDefineTerm
from actions.domain_responses import DOMAIN_FILE, responses_of
from actions.eligibility import ActionEligibilityResult
from actions.more_detail import ActionMoreDetail
from actions.situation import ActionNoteSituation
from .conftest import bot_event, make_tracker

ROOT = Path(__file__).resolve().parents[2]


def test_without_a_domain_the_responses_are_domain_ymls(domain):
    assert responses_of({}) == domain["responses"]
    assert responses_of({"responses": {"utter_x": []}}) == {"utter_x": []}  # sent ones win
    assert DOMAIN_FILE == ROOT / "domain.yml"


CASES = [
    (ActionAnswer, dict(text="do i have to pay", intent="ask_charging",
                        intent_ranking=[{"name": "ask_charging", "confidence": 0.95}])),
    (ActionAnswer, dict(text="what about the other thing", intent="nlu_fallback",
                        intent_ranking=[{"name": "ask_housing", "confidence": 0.4},
                                        {"name": "ask_charging", "confidence": 0.35}])),
    (ActionAnswer, dict(text="and for the NHS bit?", intent="nlu_fallback",
                        intent_ranking=[{"name": "ask_phb", "confidence": 0.5}],
                        events=[bot_event("utter_direct_payments")])),
    (ActionMoreDetail, dict(intent="more_detail", events=[bot_event("utter_what_is_117")])),
    (ActionDefineTerm, dict(intent="define_term", entities=[{"entity": "term",
                                                              "value": "nearest relative"}])),
    (ActionComplaintContacts, dict(slots={"area": "kent"})),
    (ActionEligibilityResult, dict(slots={"elig_sections": ["3"], "elig_status": "left"})),
    (ActionNoteSituation, dict(text="I'm his sister, he was on a section 3 in Swansea")),
]


@pytest.mark.parametrize("action, tracker_args", CASES,
                         ids=[f"{a.__name__}-{i}" for i, (a, _) in enumerate(CASES)])
def test_an_action_says_the_same_without_the_domain(action, tracker_args, domain):
    said = []
    for sent in (domain, {}):
        dispatcher = CollectingDispatcher()
        events = action().run(dispatcher, make_tracker(**tracker_args), sent)
        said.append((dispatcher.messages, events))
    assert said[0] == said[1]
    assert said[0][0] or said[0][1]  # it did say or set something


def _endpoint() -> EndpointConfig:
    raw = yaml.safe_load((ROOT / "endpoints.yml").read_text())["action_endpoint"]
    return EndpointConfig.from_dict({**raw, "url": "http://127.0.0.1:1/webhook"})


def test_rasa_sends_the_domain_to_the_form_validators_only():
    domain = Domain.load(str(ROOT / "domain.yml"))
    tracker = DialogueStateTracker("someone", domain.slots)
    endpoint = _endpoint()
    for name in domain.user_actions:
        call = RemoteAction(name, endpoint)._action_call_format(tracker, domain)
        assert ("domain" in call) == name.startswith("validate_"), name
    assert any(n.startswith("validate_") for n in domain.user_actions)
