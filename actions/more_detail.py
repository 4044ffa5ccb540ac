"""Shows the "More detail" answer (legal basis) for the topic the user asked about."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.eligibility import ActionEligibilityDetail
from bot.topics import detail_response_name, topic_of_last_answer
from actions.domain_responses import responses_of


def _utterances_newest_first(tracker: Tracker) -> list[str]:
    return [
        (event.get("metadata") or {}).get("utter_action", "")
        for event in reversed(tracker.events)
        if event.get("event") == "bot"
    ]


class ActionMoreDetail(Action):
    def name(self) -> str:
        return "action_more_detail"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: dict[str, Any]) -> list[dict[str, Any]]:
        responses = responses_of(domain)
        # The button names its topic; typed "tell me more" means the last answer given.
        topic = next(tracker.get_latest_entity_values("topic"), None)
        if topic is None:
            utterances = _utterances_newest_first(tracker)
            if any(u.startswith("utter_elig_verdict_") for u in utterances[:6]) and not \
                    topic_of_last_answer(utterances[:_newest_verdict(utterances)], responses):
                return ActionEligibilityDetail().run(dispatcher, tracker, domain)  # its reasons
            topic = topic_of_last_answer(utterances, responses)
        dispatcher.utter_message(response=detail_response_name(topic, responses))
        return []


def _newest_verdict(utterances_newest_first: list[str]) -> int:
    return next(i for i, u in enumerate(utterances_newest_first)
                if u.startswith("utter_elig_verdict_"))
