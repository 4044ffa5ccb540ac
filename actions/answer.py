"""Answers a question: the main topic first, other questions offered after, in context.

Every topic question, every message the NLU is unsure of, and every long message come here.
Thin: bot.understanding decides what to answer from the NLU's readings, the last topic and the
situation; this action says it with the domain's responses:

- a topic: its easy-read answer `utter_<topic>`; eligibility gives the verdict for the known
  sections (bot.eligibility), complaints give the steps and the contacts for the known area;
- asked to be checked with no section known: the checker's first question (eligibility_form);
- other questions in the message: "You also asked about" with a button each;
- when unsure but the answer is plausible: "Not what you asked?" with the next two topics;
- a situation told without a question: what was understood, with the topics that fit it;
- nothing plausible: "Did you mean" with the likeliest topics, then "Something else" and
  "Need help now"; nothing at all: "I am not sure".
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.complaints import ActionComplaintContacts, contacts_message
from actions.define_term import ActionDefineTerm
from actions.eligibility import GENERAL, ActionEligibilityDetail, _utter_result
from actions.fallback import ASK, MENU, NOT_SURE, OTHER, _buttons_of
from actions.more_detail import ActionMoreDetail, _utterances_newest_first
from actions.situation import known_situation
from bot import contacts
from bot.eligibility import canonical_answers
from bot.topics import topic_of_last_answer
from bot.understanding import (ANSWER, CLARIFY, SITUATION, Context, Reading, SentenceReading,
                               decide, message_scores)
from bot.situation_text import topics_for
from actions.domain_responses import responses_of

ALSO = "utter_also_asked"
NOT_WHAT = "utter_not_what_you_asked"
NOTED = "utter_situation_noted"
# Intents whose answer is a response of another name.
RESPONSE_OF = {"greet": "utter_welcome", "help": "utter_help", "thanks": "utter_thanks",
               "goodbye": "utter_goodbye", "bot_challenge": "utter_bot_challenge",
               "out_of_scope": "utter_out_of_scope", "tell_role": "utter_role_ack",
               "crisis": "utter_crisis", "ask_legal_challenge": "utter_legal_challenge",
               "ask_what_is_117": "utter_what_is_117"}
# Intents answered by an action of their own: run in place (a FollowupAction would leave the
# dialogue policies to guess what comes after it).
ACTION_OF = {"define_term": ActionDefineTerm, "more_detail": ActionMoreDetail,
             "inform_area": ActionComplaintContacts,
             "ask_eligibility_detail": ActionEligibilityDetail}
ELIGIBILITY = {"ask_eligibility", "check_eligibility", "inform"}
# The topic of an answer -> the intent that asks for it (for follow-ups).
INTENT_OF_TOPIC = {"complaints": "complain", "eligibility": "ask_eligibility",
                   "legal_challenge": "ask_legal_challenge"}


def reading_of(message: dict[str, Any]) -> Reading:
    ranking = {r["name"]: float(r.get("confidence") or 0.0)
               for r in message.get("intent_ranking") or [] if r.get("name") != "nlu_fallback"}
    sentences = tuple(
        SentenceReading(s.get("text", ""), float(s.get("asks") or 0.0),
                        {r["name"]: float(r["confidence"]) for r in s.get("ranking") or []})
        for s in message.get("sentences") or [])
    embedding = {r["name"]: float(r.get("confidence") or 0.0)
                 for r in message.get("embedding_ranking") or []}
    return Reading(message.get("text") or "", ranking, sentences, embedding)


def last_topic_intent(tracker: Tracker, responses: dict[str, Any]) -> str | None:
    utterances = _utterances_newest_first(tracker)
    for utter in utterances:  # a verdict names no topic of its own
        if utter.startswith("utter_elig_verdict_"):
            return "ask_eligibility"
        if utter.startswith("utter_complaints"):
            return "complain"
        if utter.startswith("utter_") and f"utter_detail_{utter[6:]}" in responses:
            break
    topic = topic_of_last_answer(utterances, responses)
    if topic is None:
        return None
    return INTENT_OF_TOPIC.get(topic, f"ask_{topic}")


def _button_for(intent: str, menu: list[dict[str, str]]) -> dict[str, str] | None:
    payload = f"/{intent}"
    return next(({"title": b["title"], "payload": b["payload"]} for b in menu
                 if b.get("payload") == payload), None)


def _buttons(intents: tuple[str, ...] | list[str], menu: list[dict[str, str]]
             ) -> list[dict[str, str]]:
    return [b for b in (_button_for(i, menu) for i in intents) if b is not None]


class ActionAnswer(Action):
    def name(self) -> str:
        return "action_answer"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: dict[str, Any]) -> list[dict[str, Any]]:
        responses = responses_of(domain)
        menu = _buttons_of(MENU, responses)
        message = tracker.latest_message
        knows_sections = bool(tracker.get_slot("elig_sections") or tracker.get_slot("elig_orders"))
        told = _slots_told_now(tracker)
        previous, answered = last_exchange(tracker)
        context = Context(last_topic=last_topic_intent(tracker, responses),
                          knows_sections=knows_sections, told_facts="situation_summary" in told,
                          told_only_role="role" in told and told <= {"role", "situation_summary"},
                          told_history=bool(told & {"elig_sections", "elig_orders", "place"}),
                          told_area="area" in told, told_event="events" in told,
                          country=tracker.get_slot("country"),
                          offered=offered_in(answered),
                          also_asked=offered_in([e for e in answered if (
                              e.get("metadata") or {}).get("utter_action") == ALSO]),
                          previous=_scores_of(previous),
                          had_verdict=any(u.startswith("utter_elig_verdict_")
                                          for u in _utterances_newest_first(tracker)))
        decision = decide(reading_of(message), context)
        if decision.kind == SITUATION:
            offers = list(dict.fromkeys(topics_for(known_situation(tracker)) +
                                        list(decision.offers)))[:3]
            dispatcher.utter_message(response=NOTED, buttons=_buttons(offers, menu))
            return []
        if decision.kind == CLARIFY:
            dispatcher.utter_message(response=ASK, buttons=_buttons(decision.offers, menu))
            dispatcher.utter_message(response=OTHER)
            return []
        if decision.kind != ANSWER:
            dispatcher.utter_message(response=NOT_SURE)
            return []
        main, *others = decision.topics
        if main == "check_eligibility" and not (tracker.get_slot("elig_sections")
                                                or tracker.get_slot("elig_orders")):
            # "can you check if my dad could get it? I don't know his section": the checker's
            # questions (as the "Check for me" rule starts them) and nothing else, not the
            # general rule again
            return [FollowupAction("eligibility_form")]
        events = self._answer(main, dispatcher, tracker, domain)
        if others:
            dispatcher.utter_message(response=ALSO, buttons=_buttons(others, menu))
        # "Not what you asked?" never repeats a button already on the screen (the answer's own
        # buttons, "You also asked"): the same two buttons twice read as a fault
        shown = _payloads_shown(dispatcher, responses) | {f"/{o}" for o in others}
        offers = [o for o in decision.offers if f"/{o}" not in shown]
        if offers:
            dispatcher.utter_message(response=NOT_WHAT, buttons=_buttons(offers, menu))
        return events

    def _answer(self, intent: str, dispatcher: CollectingDispatcher, tracker: Tracker,
                domain: dict[str, Any]) -> list[dict[str, Any]]:
        responses = responses_of(domain)
        if intent in ACTION_OF:
            return ACTION_OF[intent]().run(dispatcher, tracker, domain)
        if intent in ELIGIBILITY:
            return self._eligibility(dispatcher, tracker)
        if intent == "complain":
            return self._complaints(dispatcher, tracker, domain)
        name = RESPONSE_OF.get(intent) or f"utter_{intent.removeprefix('ask_')}"
        if name not in responses:
            dispatcher.utter_message(response=NOT_SURE)
            return []
        dispatcher.utter_message(response=name)
        return []

    @staticmethod
    def _eligibility(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        """The verdict for the sections known, or the general rule with its "Check for me"."""
        answers = canonical_answers(
            sections=tracker.get_slot("elig_sections"), orders=tracker.get_slot("elig_orders"),
            status=tracker.get_slot("elig_status"), leave=tracker.get_slot("elig_leave"),
            readmit=tracker.get_slot("elig_readmit"))
        if answers["sections"] or answers["orders"]:
            return _utter_result(dispatcher, answers)
        dispatcher.utter_message(response=GENERAL)
        return [SlotSet("elig_reasons", None)]

    @staticmethod
    def _complaints(dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
                    ) -> list[dict[str, Any]]:
        """The steps, then the contacts for the area known, or the national ones and the
        question "Where do you live?" (a rule shows that area's contacts when it is named)."""
        directory, default_area = contacts.loaded()
        value = tracker.get_slot("area") or default_area
        # Given just before ("what if they still say he has to pay", then "who do I write to",
        # then "we live in Kent"): not the same six sentences again, only what is new.
        if not _complaint_steps_just_given(tracker):
            dispatcher.utter_message(response="utter_complaints")
        if not value:
            dispatcher.utter_message(response="utter_ask_area")
            return []
        answer = contacts.complaint_contacts(directory, value or contacts.UNKNOWN)
        if answer.country == "Wales":
            dispatcher.utter_message(response="utter_complaints_wales")
        response, custom = contacts_message(answer, domain)
        dispatcher.utter_message(response=response, json_message=custom)
        return []


# Buttons that are not topics: a verdict's "Check for me" and "Change an answer", More detail.
NOT_TOPICS = {"more_detail", "check_eligibility", "change_answer", "ask_eligibility_detail",
              "start_again", "stop", "crisis"}


# What may follow the complaint steps before the person's next message.
_BESIDE_THE_STEPS = {"utter_ask_area", ALSO, NOT_WHAT}


def _complaint_steps_just_given(tracker: Tracker) -> bool:
    """The steps were the last answer, with at most the area question or buttons since."""
    for name in _utterances_newest_first(tracker):
        if name == "utter_complaints":
            return True
        if name not in _BESIDE_THE_STEPS:
            return False
    return False


def _payloads_shown(dispatcher: CollectingDispatcher, responses: dict[str, Any]) -> set[str]:
    """The payloads of the buttons in the responses uttered so far (any of their variants)."""
    shown: set[str] = set()
    for message in dispatcher.messages:
        for button in message.get("buttons") or []:
            shown.add(str(button.get("payload", "")))
        for variant in responses.get(message.get("response") or "", []):
            shown |= {str(b.get("payload", "")) for b in variant.get("buttons") or []}
    return shown


def last_exchange(tracker: Tracker) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """The person's message before this one and the bot events that answered it (newest
    first), from one walk of the events."""
    answered: list[dict[str, Any]] = []
    users = 0
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            users += 1
            if users == 2:
                return event, answered
        elif users == 1 and event.get("event") == "bot":
            answered.append(event)
    return None, answered


def offered_in(answered: list[dict[str, Any]]) -> tuple[str, ...]:
    """The topic intents of the buttons the last answer (its bot events) offered."""
    offered: list[str] = []
    for event in answered:
        for button in (event.get("data") or {}).get("buttons") or []:
            payload = str(button.get("payload", ""))
            intent = payload[1:].split("{")[0] if payload.startswith("/") else ""
            if intent and intent not in NOT_TOPICS and intent not in offered:
                offered.append(intent)
    return tuple(offered)


def _scores_of(previous: dict[str, Any] | None) -> dict[str, float]:
    """The NLU's scores for the person's message before this one."""
    if previous is None:
        return {}
    return message_scores(reading_of(previous.get("parse_data") or {}))


def _slots_told_now(tracker: Tracker) -> set[str]:
    """The slots this message set (action_note_situation runs before this action)."""
    told: set[str] = set()
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            break
        if event.get("event") == "slot":
            told.add(event.get("name"))
    return told
