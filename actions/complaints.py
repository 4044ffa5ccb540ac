"""Complaints: finds the person's area and shows the complaint contacts for it.

Thin: the area comes from bot.contacts (rapidfuzz lookup over contacts/contacts.yml), the words
from the domain. Three actions:
- action_find_area: after "who do I complain to in Kent", sets `area` from the message text;
  otherwise keeps the area already known, or uses the deployer's S117_DEFAULT_AREA.
- validate_complaints_area_form: turns the answer to utter_ask_area ("isle of white", "ME14",
  "Leeds") into an area value; anything not found becomes "unknown", so nobody is asked twice.
- action_complaint_contacts: utter_complaints_wales first for Wales, then one of
  utter_complaints_contacts (a seeded area), utter_complaints_contacts_wales (Wales, no local
  contacts) or utter_complaints_contacts_unknown (national contacts only).

The contacts travel as structured data in the message's `custom` (the widget shows phone numbers
as tap-to-call links). The action sends the response's own custom plus `area`, `country` and
`contacts`:

    {"kind": "contacts", "alt": "...", "source": "contacts/contacts.yml", "checked": "2026-11-25",
     "area": {"id": "kent", "council": "Kent County Council", "country": "England",
              "nhs_body": "NHS Kent and Medway Integrated Care Board"} | null,
     "country": "England" | "Wales" | null,
     "contacts": [{"who": "...", "what_for": "...", "phone": "0300 061 0614",
                   "tel": "03000610614", "text": "", "email": "", "web": "https://...",
                   "address": "", "hours": "", "audience": "everyone", "note": "",
                   "source": "facts.md F11.4 and section 3", "checked": "2026-11-25"}, ...]}

Every contact has all 13 keys; a detail we do not have is "" (never guessed).
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot import contacts
from actions.domain_responses import responses_of

RESPONSE_FOR_KIND = {"area": "utter_complaints_contacts",
                     "country": "utter_complaints_contacts_wales",
                     "unknown": "utter_complaints_contacts_unknown"}


def _custom_of(response: str, domain: dict[str, Any]) -> dict[str, Any]:
    variations = responses_of(domain).get(response) or [{}]
    return dict(variations[-1].get("custom") or {})


def contacts_message(answer: contacts.ComplaintContacts, domain: dict[str, Any]
                     ) -> tuple[str, dict[str, Any]]:
    """The response name and the custom payload (shape above) for an answer."""
    kind = answer.kind
    if kind == "country" and answer.country != "Wales":
        kind = "unknown"  # England with no council named: the national answer
    response = RESPONSE_FOR_KIND[kind]
    area = answer.area
    custom = _custom_of(response, domain) | {
        "area": None if area is None else {"id": area.id, "council": area.council,
                                           "country": area.country, "nhs_body": area.nhs_body},
        "country": answer.country,
        "contacts": [c.as_dict() for c in answer.contacts],
    }
    return response, custom


class ActionFindArea(Action):
    def name(self) -> str:
        return "action_find_area"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: dict[str, Any]) -> list[dict[str, Any]]:
        directory, default_area = contacts.loaded()
        value = contacts.area_value_from_text(tracker.latest_message.get("text"), directory)
        if value is None and not tracker.get_slot("area"):
            value = default_area
        return [SlotSet("area", value)] if value else []


class ValidateComplaintsAreaForm(FormValidationAction):
    def name(self) -> str:
        return "validate_complaints_area_form"

    def validate_area(self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                      domain: dict[str, Any]) -> dict[str, Any]:
        directory, _ = contacts.loaded()
        if isinstance(slot_value, str) and contacts.is_area_value(slot_value, directory):
            return {"area": slot_value}
        text = slot_value if isinstance(slot_value, str) else ""
        return {"area": contacts.area_value_from_text(text, directory) or contacts.UNKNOWN}


class ActionComplaintContacts(Action):
    def name(self) -> str:
        return "action_complaint_contacts"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: dict[str, Any]) -> list[dict[str, Any]]:
        directory, default_area = contacts.loaded()
        value = (contacts.area_value_from_text(tracker.latest_message.get("text"), directory)
                 or tracker.get_slot("area") or default_area or contacts.UNKNOWN)
        answer = contacts.complaint_contacts(directory, value)
        if answer.country == "Wales":
            dispatcher.utter_message(response="utter_complaints_wales")
        response, custom = contacts_message(answer, domain)
        dispatcher.utter_message(response=response, json_message=custom)
        return [] if value == tracker.get_slot("area") else [SlotSet("area", value)]
