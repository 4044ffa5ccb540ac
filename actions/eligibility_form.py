"""Validation for eligibility_form: which questions to ask, and reading typed or button answers.

"section three", "s.37", "a CTO", "the police one", "I don't know" all become canonical values
through bot.sections. A message that is not an answer (a crisis, "stop", another question) is
left alone so the rules can handle it.
"""

from __future__ import annotations

import re
from typing import Any, Callable

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction

from bot.eligibility import canonical_answers, relevant_questions, status_from_orders
from actions.situation import STATUS_FROM_PLACE
from bot.sections import (canonical_leave, canonical_orders, canonical_readmit,
                          canonical_sections, canonical_status)
from bot.situation import sections_told

NEVER_ANSWERS = {"crisis", "stop", "start_again", "change_answer", "ask_eligibility_detail",
                 "more_detail"}
ANSWER_INTENTS = {"inform", "ask_eligibility", "check_eligibility", "nlu_fallback"}
NOT_UNDERSTOOD = "utter_elig_not_understood"
# "what is a CTO?" is a question about a word, not an answer, whatever NLU made of it.
_QUESTION = re.compile(r"\?\s*$|^\s*(what|whats|what's|who|how|why|when|where|does|do|is|are|"
                       r"can|could|will|would|should)\b", re.I)


def _answers(tracker: Tracker) -> dict:
    sections = tracker.get_slot("elig_sections")
    if tracker.get_slot("requested_slot") == "elig_readmit":
        sections = _earlier_sections(tracker) or sections  # "yes, a section 2" is about readmission
    return canonical_answers(
        sections=sections, orders=tracker.get_slot("elig_orders"),
        status=tracker.get_slot("elig_status"), leave=tracker.get_slot("elig_leave"),
        readmit=tracker.get_slot("elig_readmit"))


def _sections_told_in_a_story(tracker: Tracker) -> list[str] | None:
    """The sections named when the checker asked for them and the person answered with their
    story ("she was on a section 2 then they changed it to a section 3. she's in a care home
    now"): too long to be read as a typed answer, but it answers. Not a message that asks
    something, which the rules answer before the checker goes on."""
    if tracker.get_slot("requested_slot") != "elig_sections":
        return None
    message = tracker.latest_message
    text = message.get("text") or ""
    if text.startswith("/") or _QUESTION.search(text) or any(
            s.get("asks") for s in message.get("sentences") or []):
        return None
    if ((message.get("intent") or {}).get("name")) in NEVER_ANSWERS:
        return None
    return list(sections_told(text)) or None


def _earlier_sections(tracker: Tracker) -> list[str] | None:
    """The last recognised sections from before this message (None after a reset)."""
    events = list(tracker.events)
    last_user = max((i for i, e in enumerate(events) if e.get("event") == "user"), default=0)
    for event in reversed(events[:last_user]):
        if event.get("event") == "slot" and event.get("name") == "elig_sections":
            if event.get("value") is None:
                return None
            sections = canonical_sections(event["value"])
            if sections:
                return sections
    return None


class ValidateEligibilityForm(FormValidationAction):
    def name(self) -> str:
        return "validate_eligibility_form"

    async def required_slots(self, domain_slots: list[str], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: dict[str, Any]) -> list[str]:
        return relevant_questions(**_answers(tracker))

    def _extract(self, slot: str, parse: Callable[[str | None], Any],
                 dispatcher: CollectingDispatcher, tracker: Tracker) -> dict[str, Any]:
        if tracker.get_slot("requested_slot") != slot:
            return {}
        message = tracker.latest_message
        intent = (message.get("intent") or {}).get("name")
        if intent in NEVER_ANSWERS:
            return {}
        button = next(tracker.get_latest_entity_values("elig_answer"), None)
        text = message.get("text") or ""
        value = parse(button) if button else parse(text)
        short_statement = len(text.split()) <= 6 and not _QUESTION.search(text)
        looks_like_an_answer = bool(button) or (
            short_statement if intent not in ("inform", "ask_eligibility") else True)
        if value and looks_like_an_answer:
            return {slot: value}
        said_something_else = any(e.get("entity") in ("section", "order")
                                  for e in message.get("entities", []))
        if intent in ANSWER_INTENTS and not said_something_else and not _QUESTION.search(text):
            dispatcher.utter_message(response=NOT_UNDERSTOOD)
            return {slot: None}  # ask again rather than leave the form
        return {}  # another question: let the rules answer it

    def extract_elig_sections(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                              domain: dict[str, Any]) -> dict[str, Any]:
        if "elig_sections" in tracker.slots_to_validate():
            return {}  # the from_entity mapping has it
        told = _sections_told_in_a_story(tracker)
        if told:
            return {"elig_sections": told}
        return self._extract("elig_sections", lambda t: canonical_sections(t) or None,
                             dispatcher, tracker)

    def extract_elig_status(self, dispatcher, tracker, domain) -> dict[str, Any]:
        if tracker.get_slot("elig_status") is None:
            from_order = status_from_orders(canonical_orders(tracker.get_slot("elig_orders")))
            if from_order:  # "on a CTO" already said: never ask where they are
                return {"elig_status": from_order}
            # "she's in a care home now", told in any message: never ask where they are
            from_place = STATUS_FROM_PLACE.get(tracker.get_slot("place") or "")
            if from_place:
                return {"elig_status": from_place}
        return self._extract("elig_status", canonical_status, dispatcher, tracker)

    def extract_elig_leave(self, dispatcher, tracker, domain) -> dict[str, Any]:
        return self._extract("elig_leave", canonical_leave, dispatcher, tracker)

    def extract_elig_readmit(self, dispatcher, tracker, domain) -> dict[str, Any]:
        return self._extract("elig_readmit", canonical_readmit, dispatcher, tracker)

    def validate_elig_sections(self, value: Any, dispatcher: CollectingDispatcher,
                               tracker: Tracker, domain: dict[str, Any]) -> dict[str, Any]:
        sections = canonical_sections(value)
        if not sections or tracker.get_slot("requested_slot") == "elig_readmit":
            # "section 117", or "a section 2" said about going back in: keep what we had
            return {"elig_sections": _earlier_sections(tracker)}
        return {"elig_sections": sections}

    def validate_elig_status(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        return {"elig_status": canonical_status(value)}

    def validate_elig_leave(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        return {"elig_leave": canonical_leave(value)}

    def validate_elig_readmit(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        return {"elig_readmit": canonical_readmit(value)}
