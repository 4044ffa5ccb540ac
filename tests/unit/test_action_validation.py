"""The action-result validator built once (rasa_extensions/action_validation.py) accepts and
refuses exactly what Rasa's own does, with the same message."""

from __future__ import annotations

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

from rasa_extensions import action_validation

GOOD = [
    {},
    {"events": [], "responses": []},
    {"events": [{"event": "slot", "name": "role", "value": "carer"}],
     "responses": [{"response": "utter_charging"}, {"text": "Hello", "buttons": []}]},
    {"events": [{"event": "action", "name": "action_listen"},
                {"event": "followup", "name": "utter_greet"}]},
]
BAD = [
    [],
    {"events": "not a list"},
    {"responses": [1]},
    {"events": [{"event": "slot"}]},
    {"events": [{"event": "no_such_event"}]},
    {"events": [{"event": "slot", "name": "role", "value": "x", "timestamp": "noon"}]},
]


def outcome(validate, result):
    try:
        return validate(RemoteAction("action_x", None), result)
    except ValidationError as error:
        return ("refused", error.message, list(error.path))


@pytest.mark.parametrize("result", GOOD + BAD)
def test_the_same_verdict_and_message_as_rasas_own(result):
    ours = outcome(action_validation.validate_action_result, result)
    theirs = outcome(action_validation.RASAS_OWN, result)
    assert ours == theirs
    assert (ours is True) == (result in GOOD)


def test_importing_the_extensions_installs_it_in_rasa():
    import rasa_extensions.guarded_tracker_store  # what endpoints.yml makes Rasa import

    assert RemoteAction._validate_action_result is action_validation.validate_action_result
    assert action_validation.RASAS_OWN is not action_validation.validate_action_result
