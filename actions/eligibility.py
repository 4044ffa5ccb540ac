"""Section 117 eligibility: the one-shot answer, the form's result, its detail, start and change.

Thin: reads slots and entities, calls bot.eligibility, answers with response names.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.eligibility import (FORM_SLOTS, canonical_answers, check, history_from_answers)
from actions.domain_responses import responses_of

GENERAL = "utter_eligibility"
DETAIL_GENERAL = "utter_detail_eligibility"


def _entity_texts(tracker: Tracker, entity: str) -> list[str]:
    return [str(v) for v in tracker.get_latest_entity_values(entity)]


def _answers_in_message(tracker: Tracker) -> dict | None:
    """The sections and orders named in the latest message, or None when it names none."""
    answers = canonical_answers(sections=_entity_texts(tracker, "section"),
                                orders=_entity_texts(tracker, "order"))
    return answers if answers["sections"] or answers["orders"] else None


def _described_afresh(answers: dict) -> list[dict[str, Any]]:
    """A message naming sections or orders describes the person afresh: earlier answers go."""
    return [SlotSet("elig_sections", answers["sections"] or None),
            SlotSet("elig_orders", answers["orders"] or None),
            SlotSet("elig_status", None), SlotSet("elig_leave", None),
            SlotSet("elig_readmit", None)]


def _utter_result(dispatcher: CollectingDispatcher, answers: dict) -> list[dict[str, Any]]:
    result = check(history_from_answers(**answers))
    for name in result.response_names:
        dispatcher.utter_message(response=name)
    return [SlotSet("elig_reasons", result.codes)]


class ActionEligibilityAnswer(Action):
    """"Can I get 117?": a verdict straight away from the sections and orders in the message,
    or the general rule with a "Check for me" button when the message names none."""

    def name(self) -> str:
        return "action_eligibility_answer"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: dict[str, Any]) -> list[dict[str, Any]]:
        answers = _answers_in_message(tracker)
        if answers is None:
            dispatcher.utter_message(response=GENERAL)
            return [SlotSet("elig_reasons", None)]  # More detail now means the general rule
        return _described_afresh(answers) + _utter_result(dispatcher, answers)


class ActionEligibilityResult(Action):
    """Shows the result when eligibility_form has what it needs."""

    def name(self) -> str:
        return "action_eligibility_result"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: dict[str, Any]) -> list[dict[str, Any]]:
        answers = canonical_answers(
            sections=tracker.get_slot("elig_sections"), orders=tracker.get_slot("elig_orders"),
            status=tracker.get_slot("elig_status"), leave=tracker.get_slot("elig_leave"),
            readmit=tracker.get_slot("elig_readmit"))
        return _utter_result(dispatcher, answers)


class ActionEligibilityDetail(Action):
    """More detail for the last result: the legal basis of each of its reasons."""

    def name(self) -> str:
        return "action_eligibility_detail"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: dict[str, Any]) -> list[dict[str, Any]]:
        responses = responses_of(domain)
        names = [f"utter_elig_detail_{code}"
                 for code in tracker.get_slot("elig_reasons") or []]
        names = [name for name in names if name in responses] or [DETAIL_GENERAL]
        for name in names:
            dispatcher.utter_message(response=name)
        return []


def _clear(slots: tuple[str, ...]) -> list[dict[str, Any]]:
    return [SlotSet(slot, None) for slot in slots]


class ActionEligibilityStart(Action):
    """Before the form: "start again" (or the result's restart button) clears the answers.
    "Am I eligible? I was on a section 3" pre-fills the form from the sections and orders it
    names (and drops older answers), so the form asks only what is still needed.
    A plain "Check for me" keeps earlier answers, so nothing already said is asked again."""

    def name(self) -> str:
        return "action_eligibility_start"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: dict[str, Any]) -> list[dict[str, Any]]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        restart = "restart" in _entity_texts(tracker, "elig_answer")
        if intent != "start_again" and not restart:
            answers = _answers_in_message(tracker)
            if answers is None:
                return []
            return _described_afresh(answers) + [SlotSet("elig_reasons", None)]
        dispatcher.utter_message(response="utter_elig_start_again")
        return _clear(FORM_SLOTS + ("elig_orders", "elig_reasons"))


class ActionEligibilityChange(Action):
    """"Change my answer": clears the last answer given, so the form asks it again.
    A message that already holds the new answer ("it was a 37 actually") changes nothing more."""

    def name(self) -> str:
        return "action_eligibility_change"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: dict[str, Any]) -> list[dict[str, Any]]:
        if _entity_texts(tracker, "section") or _entity_texts(tracker, "order"):
            dispatcher.utter_message(response="utter_elig_changed")  # the form takes the new answer
            return [SlotSet("elig_reasons", None)]
        last = next((e["name"] for e in reversed(tracker.events)
                     if e.get("event") == "slot" and e.get("name") in FORM_SLOTS
                     and e.get("value") is not None), None)
        if last is None:
            return []
        dispatcher.utter_message(response="utter_elig_change")
        following = FORM_SLOTS[FORM_SLOTS.index(last):]  # later answers depend on this one
        cleared = following if last != "elig_sections" else ("elig_sections",)
        if last == "elig_status":
            cleared = cleared + ("elig_orders",)  # "on a CTO" said earlier also set an order
        return _clear(cleared) + [SlotSet("elig_reasons", None)]
