"""action_define_term: the word from the message picks utter_define_<term>."""

from __future__ import annotations

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.define_term import ActionDefineTerm, definition_response

DOMAIN = {"responses": {"utter_define_icb": [{"text": "ICB"}],
                        "utter_define_nearest_relative": [{"text": "NR"}],
                        "utter_define_unknown": [{"text": "?"}]}}


def run(entities: list[dict]) -> tuple[list[dict], list[str]]:
    latest = {"text": "what does it mean", "intent": {"name": "define_term", "confidence": 0.9},
              "entities": entities}
    tracker = Tracker("test", {}, latest, [], False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    events = ActionDefineTerm().run(dispatcher, tracker, DOMAIN)
    return events, [m["response"] for m in dispatcher.messages]


def test_known_term_gives_its_definition():
    assert run([{"entity": "term", "value": "icb"}]) == ([], ["utter_define_icb"])


def test_unknown_or_missing_term_says_so():
    assert run([{"entity": "term", "value": "tribunal"}]) == ([], ["utter_define_unknown"])
    assert run([]) == ([], ["utter_define_unknown"])
    assert run([{"entity": "role", "value": "carer"}]) == ([], ["utter_define_unknown"])


def test_first_term_that_has_a_definition_wins():
    events, names = run([{"entity": "term", "value": "tribunal"},
                         {"entity": "term", "value": "nearest_relative"}])
    assert (events, names) == ([], ["utter_define_nearest_relative"])


@pytest.mark.parametrize("raw", ["Nearest Relative", "nearest-relative", "nearest_relative"])
def test_spelling_of_the_term_value_is_normalised(raw):
    assert definition_response(raw, DOMAIN["responses"]) == "utter_define_nearest_relative"


def test_odd_values_never_build_a_response_name():
    assert definition_response("../../etc", DOMAIN["responses"]) == "utter_define_unknown"


def test_every_lookup_term_has_a_definition_in_the_domain():
    import yaml

    from tests.content.checks import ROOT, load_responses
    responses = load_responses()
    data = yaml.safe_load((ROOT / "data" / "nlu" / "lookups.yml").read_text())
    canonical = {item["synonym"] for item in data["nlu"] if "synonym" in item}
    roles = {"carer", "advocate", "patient"}
    for term in canonical - roles:
        assert f"utter_define_{term}" in responses, term
