"""Complaints actions with a collecting dispatcher and a hand-built tracker."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from rasa_sdk.events import SlotSet

from actions.complaints import (
    ActionComplaintContacts, ActionFindArea, ValidateComplaintsAreaForm,
)
from bot import contacts

from .conftest import make_tracker

SEEDED = Path(__file__).resolve().parents[2] / "contacts" / "contacts.yml"
CONTACT_KEYS = {"who", "what_for", "phone", "tel", "text", "email", "web", "address", "hours",
                "audience", "note", "sources", "checked"}


@pytest.fixture(autouse=True)
def seeded_contacts(monkeypatch):
    """The seeded file, no default area; each test may set its own."""
    monkeypatch.setenv("S117_CONTACTS_FILE", str(SEEDED))
    monkeypatch.delenv("S117_DEFAULT_AREA", raising=False)
    contacts.loaded.cache_clear()
    yield
    contacts.loaded.cache_clear()


def default_area(monkeypatch, value):
    monkeypatch.setenv("S117_DEFAULT_AREA", value)
    contacts.loaded.cache_clear()


def names(dispatcher):
    return [m["response"] for m in dispatcher.messages]


# ---------------------------------------------------------------- action_find_area

def test_find_area_reads_the_area_from_the_message(dispatcher, domain):
    tracker = make_tracker(text="who do I complain to in Kent", intent="complain")
    assert ActionFindArea().run(dispatcher, tracker, domain) == [SlotSet("area", "kent")]
    assert dispatcher.messages == []


def test_find_area_keeps_the_area_already_known(dispatcher, domain):
    tracker = make_tracker(text="I want to complain", slots={"area": "isle-of-wight"})
    assert ActionFindArea().run(dispatcher, tracker, domain) == []


def test_a_new_area_in_the_message_replaces_the_old_one(dispatcher, domain):
    tracker = make_tracker(text="complain in Wales", slots={"area": "kent"})
    assert ActionFindArea().run(dispatcher, tracker, domain) == [SlotSet("area", "wales")]


def test_find_area_uses_the_deployers_default_area(dispatcher, domain, monkeypatch):
    default_area(monkeypatch, "Isle of Wight")
    tracker = make_tracker(text="I want to complain")
    assert ActionFindArea().run(dispatcher, tracker, domain) == [
        SlotSet("area", "isle-of-wight")]


def test_find_area_without_a_clue_leaves_the_form_to_ask(dispatcher, domain):
    assert ActionFindArea().run(dispatcher, make_tracker(text="I want to complain"), domain) == []


# ---------------------------------------------------------------- validate_complaints_area_form

@pytest.mark.parametrize("answer, value", [
    ("maidstone", "kent"), ("isle of white", "isle-of-wight"), ("ME14 1XX", "kent"),
    ("PO30", "isle-of-wight"), ("I live in Wales", "wales"), ("Lerwick", "unknown"),
    ("no idea", "unknown"), ("kent", "kent")])
def test_the_answer_to_where_do_you_live_becomes_an_area_value(dispatcher, domain, answer, value):
    result = ValidateComplaintsAreaForm().validate_area(answer, dispatcher,
                                                        make_tracker(text=answer), domain)
    assert result == {"area": value}
    assert dispatcher.messages == []


def test_the_form_validation_sets_the_slot_and_never_asks_twice(dispatcher, domain):
    tracker = make_tracker(text="Lerwick", slots={"area": "Lerwick", "requested_slot": "area"},
                           events=[{"event": "user", "text": "Lerwick"},
                                   {"event": "slot", "name": "area", "value": "Lerwick"}],
                           active_loop="complaints_area_form")
    events = asyncio.run(ValidateComplaintsAreaForm().run(dispatcher, tracker, domain))
    assert events == [SlotSet("area", "unknown")]


# ---------------------------------------------------------------- action_complaint_contacts

def run_contacts(dispatcher, domain, **tracker_args):
    return ActionComplaintContacts().run(dispatcher, make_tracker(**tracker_args), domain)


def test_kent_contacts_come_as_structured_data_with_source_and_date(dispatcher, domain):
    events = run_contacts(dispatcher, domain, text="maidstone", slots={"area": "kent"})
    assert events == []
    assert names(dispatcher) == ["utter_complaints_contacts"]
    custom = dispatcher.messages[0]["custom"]
    assert custom["kind"] == "contacts" and custom["checked"] == "2026-11-25"
    assert custom["alt"] and custom["sources"] == []  # each card carries its own
    assert custom["area"] == {"id": "kent", "council": "Kent County Council",
                              "country": "England",
                              "nhs_body": "NHS Kent and Medway Integrated Care Board"}
    assert custom["country"] == "England"
    assert all(set(c) == CONTACT_KEYS for c in custom["contacts"])
    assert all(c["sources"] and c["checked"] for c in custom["contacts"])
    assert custom["contacts"][0]["sources"] == ["kent_adult_complaints"]
    children = custom["contacts"][1]
    assert (children["phone"], children["tel"]) == ("03000 41 11 11", "03000411111")


def test_the_isle_of_wight_from_the_slot(dispatcher, domain):
    events = run_contacts(dispatcher, domain, text="yes", slots={"area": "isle-of-wight"})
    assert events == [] and names(dispatcher) == ["utter_complaints_contacts"]
    assert dispatcher.messages[0]["custom"]["area"]["id"] == "isle-of-wight"


def test_wales_gets_the_welsh_route_then_welsh_contacts(dispatcher, domain):
    events = run_contacts(dispatcher, domain, text="I live in Wales", intent="inform_area")
    assert events == [SlotSet("area", "wales")]
    assert names(dispatcher) == ["utter_complaints_wales", "utter_complaints_contacts_wales"]
    whos = [c["who"] for c in dispatcher.messages[1]["custom"]["contacts"]]
    assert "Public Services Ombudsman for Wales" in whos
    assert "Local Government and Social Care Ombudsman" not in whos


def test_an_unknown_area_gets_the_national_answer(dispatcher, domain):
    events = run_contacts(dispatcher, domain, text="Lerwick", slots={"area": "unknown"})
    assert events == []
    assert names(dispatcher) == ["utter_complaints_contacts_unknown"]
    custom = dispatcher.messages[0]["custom"]
    assert custom["area"] is None and custom["country"] is None
    assert all(c["who"] != "Kent County Council" for c in custom["contacts"])


def test_england_without_a_council_gets_the_national_answer_for_england(dispatcher, domain):
    run_contacts(dispatcher, domain, text="I live in England", intent="inform_area")
    assert names(dispatcher) == ["utter_complaints_contacts_unknown"]
    whos = [c["who"] for c in dispatcher.messages[0]["custom"]["contacts"]]
    assert "Public Services Ombudsman for Wales" not in whos


def test_naming_an_area_we_do_not_know_with_no_area_yet_sets_unknown(dispatcher, domain):
    events = run_contacts(dispatcher, domain, text="I live in Lerwick", intent="inform_area")
    assert events == [SlotSet("area", "unknown")]
    assert names(dispatcher) == ["utter_complaints_contacts_unknown"]


def test_the_default_area_is_shown_without_asking(dispatcher, domain, monkeypatch):
    default_area(monkeypatch, "kent")
    events = run_contacts(dispatcher, domain, text="I want to complain")
    assert events == [SlotSet("area", "kent")]
    assert dispatcher.messages[0]["custom"]["area"]["id"] == "kent"


def test_every_response_the_actions_name_is_in_the_domain(domain):
    for name in ("utter_complaints_contacts", "utter_complaints_contacts_wales",
                 "utter_complaints_contacts_unknown", "utter_complaints_wales", "utter_ask_area"):
        assert name in domain["responses"]
