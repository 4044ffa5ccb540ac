"""When the NLU is unsure, ask which of the two likeliest topics was meant.

A wrong legal answer is worse than a question, so below the FallbackClassifier threshold the
assistant offers the two best topic intents from the intent ranking as buttons. Button titles come
from the domain's `utter_topics` menu, so all user-facing text stays in domain.yml. The fixed
choices ("Something else", "Need help now") follow in a second message, utter_clarify_other, so
that the topics are the first buttons a person (or a screen reader) meets after "Did you mean".
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

MENU = "utter_topics"
ASK = "utter_clarify"
OTHER = "utter_clarify_other"
NOT_SURE = "utter_fallback"
CRISIS_INTENT = "crisis"
CRISIS = "utter_crisis"
FALLBACK_INTENT = "nlu_fallback"
HOW_MANY = 2


def _buttons_of(response_name: str, responses: dict[str, Any]) -> list[dict[str, str]]:
    variations = responses.get(response_name) or [{}]
    return list(variations[0].get("buttons") or [])


def likeliest_intent(ranking: list[dict[str, Any]]) -> str | None:
    """The best-ranked real intent (the fallback itself is not one)."""
    real = [e for e in ranking if e.get("name") and e.get("name") != FALLBACK_INTENT]
    best = max(real, key=lambda e: e.get("confidence") or 0.0, default=None)
    return best.get("name") if best else None


def best_topic_buttons(ranking: list[dict[str, Any]], menu: list[dict[str, str]],
                       how_many: int = HOW_MANY) -> list[dict[str, str]]:
    """The menu buttons of the best-ranked intents that are topics, best first."""
    by_intent = {b["payload"].lstrip("/"): b for b in menu if b.get("payload", "").startswith("/")}
    chosen: list[dict[str, str]] = []
    for entry in sorted(ranking, key=lambda e: e.get("confidence") or 0.0, reverse=True):
        button = by_intent.get(entry.get("name") or "")
        if button is not None and button not in chosen:
            chosen.append({"title": button["title"], "payload": button["payload"]})
        if len(chosen) == how_many:
            break
    return chosen


class ActionClarify(Action):
    def name(self) -> str:
        return "action_clarify"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: dict[str, Any]) -> list[dict[str, Any]]:
        responses = domain.get("responses", {})
        ranking = tracker.latest_message.get("intent_ranking") or []
        # Safety first: when crisis words are the likeliest reading, give the crisis numbers
        # rather than a question, however unsure the classifier is.
        if likeliest_intent(ranking) == CRISIS_INTENT:
            dispatcher.utter_message(response=CRISIS)
            return []
        topics = best_topic_buttons(ranking, _buttons_of(MENU, responses))
        if not topics:
            dispatcher.utter_message(response=NOT_SURE)
            return []
        # The fixed choices come next; a topic that is one of them is not offered twice.
        fixed = {b.get("payload") for b in _buttons_of(OTHER, responses)}
        dispatcher.utter_message(response=ASK,
                                 buttons=[b for b in topics if b["payload"] not in fixed])
        dispatcher.utter_message(response=OTHER)
        return []
