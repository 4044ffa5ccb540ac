"""Explains a hard word ("what does nearest relative mean").

The word comes from the `term` entity (a lookup table in data/nlu/lookups.yml, mapped to one
canonical name by synonyms). Each definition is a domain response `utter_define_<term>`.
"""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from actions.domain_responses import responses_of

UNKNOWN = "utter_define_unknown"
_TERM = re.compile(r"^[a-z0-9_]{1,60}$")


def definition_response(term: str | None, responses: dict[str, Any]) -> str:
    """`utter_define_<term>` when the domain has it, else the "I do not know that word" answer."""
    if not term:
        return UNKNOWN
    key = term.strip().lower().replace(" ", "_").replace("-", "_")
    name = f"utter_define_{key}"
    return name if _TERM.match(key) and name in responses else UNKNOWN


class ActionDefineTerm(Action):
    def name(self) -> str:
        return "action_define_term"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: dict[str, Any]) -> list[dict[str, Any]]:
        responses = responses_of(domain)
        terms = list(tracker.get_latest_entity_values("term"))
        # Several matches ("what does the ICB's care coordinator mean"): the first we can define.
        names = [definition_response(t, responses) for t in terms] or [UNKNOWN]
        dispatcher.utter_message(response=next((n for n in names if n != UNKNOWN), UNKNOWN))
        return []
