"""Notes the person's situation from every message (a custom slot mapping, so it runs before
the dialogue decides what to say, and the answer to the same message already uses it).

Thin: bot.situation reads the facts; this turns them into slot events. Outside a form the
sections also fill the checker's answers, so the checker never asks what was already said.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot import contacts, situation
from bot.crisis import CRISIS_PAYLOAD, CRISIS_TEXT_KEY
from bot.eligibility import status_from_orders
from bot.sections import canonical_sections
from bot.situation_text import summary

# Where the person is now -> the checker's answer to "where are they now?"
STATUS_FROM_PLACE = {"hospital": "detained", "leave": "leave", "home": "left",
                     "care_home": "left", "supported_living": "left", "prison": "prison"}


def known_situation(tracker: Tracker) -> situation.Situation:
    area = tracker.get_slot("area")
    return situation.Situation(
        role=tracker.get_slot("role"),
        # The entity mapping may have left the words written ("section 3"): canonical here.
        sections=tuple(canonical_sections(tracker.get_slot("elig_sections"))),
        orders=tuple(o for o in tracker.get_slot("elig_orders") or ()
                     if o in ("cto", "conditional_discharge", "guardianship")),
        place=tracker.get_slot("place"),
        area=area if area and area != contacts.UNKNOWN else None,
        country=tracker.get_slot("country"),
        events=tuple(tracker.get_slot("events") or ()))


def typed_text(tracker: Tracker) -> str:
    """What the person wrote. A crisis text reaches Rasa as /crisis with the words beside it
    (bot.crisis.CRISIS_TEXT_KEY): the crisis answer comes first, and the situation it tells
    ("I'm on a section 3 in supported living...") is still noted."""
    text = tracker.latest_message.get("text") or ""
    if text == CRISIS_PAYLOAD:
        for event in reversed(tracker.events):
            if event.get("event") == "user":
                typed = (event.get("metadata") or {}).get(CRISIS_TEXT_KEY)
                if isinstance(typed, str) and typed.strip():
                    return typed
                break
    return text


class ActionNoteSituation(Action):
    def name(self) -> str:
        return "action_note_situation"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: dict[str, Any]) -> list[dict[str, Any]]:
        text = typed_text(tracker)
        if text.startswith("/"):
            return []  # a button: its payload says nothing about the situation
        directory, _ = contacts.loaded()
        known = known_situation(tracker)
        told = situation.read(text, directory)
        role_entity = next(tracker.get_latest_entity_values("role"), None)
        if told.role is None and role_entity in (situation.PATIENT, situation.CARER,
                                                 situation.ADVOCATE):
            told = situation.Situation(**{**told.__dict__, "role": role_entity})
        now = situation.updated(known, told, text)
        events: list[dict[str, Any]] = []

        def set_if_changed(slot: str, value: Any, old: Any) -> None:
            if value != old:
                events.append(SlotSet(slot, value))

        set_if_changed("role", now.role, known.role)
        set_if_changed("place", now.place, known.place)
        set_if_changed("events", list(now.events) or None, list(known.events) or None)
        if now.area != known.area:
            events.append(SlotSet("area", now.area))
            events.append(SlotSet("country", now.country))
        if tracker.active_loop.get("name") is None:  # a form reads its own answers
            # Only what this message says: the slots may hold what the entity mappings
            # found ("section 3", "section_17_leave"), which the checker reads as well.
            if told.sections and list(told.sections) != list(known.sections):
                events.append(SlotSet("elig_sections", list(now.sections)))
            if told.orders and list(told.orders) != list(known.orders):
                events.append(SlotSet("elig_orders", list(now.orders)))
            status = status_from_orders(list(now.orders)) or STATUS_FROM_PLACE.get(now.place or "")
            if told.sections or told.orders or told.place:
                set_if_changed("elig_status", status, tracker.get_slot("elig_status"))
            if told.sections and tuple(now.sections) != tuple(known.sections):
                # Another person, or a correction: the earlier answers about leave and going
                # back into hospital were about the old sections.
                for slot in ("elig_leave", "elig_readmit", "elig_reasons"):
                    if tracker.get_slot(slot) is not None:
                        events.append(SlotSet(slot, None))
        if now != known:
            events.append(SlotSet("situation_summary", summary(now)))
        return events
