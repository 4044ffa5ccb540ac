"""Finding the area from what people type: names, typos, postcodes, countries, unknown places."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.area_lookup import find_area, normalise
from bot.contacts import UNKNOWN, area_value_from_text, complaint_contacts, load_directory

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def directory():
    return load_directory(ROOT / "contacts" / "contacts.yml")


@pytest.mark.parametrize("text, area", [
    ("kent", "kent"),
    ("Kent County Council", "kent"),
    ("KCC", "kent"),
    ("maidstone", "kent"),
    ("who do I complain to in Kent", "kent"),
    ("i live near canterbry", "kent"),
    ("isle of white", "isle-of-wight"),
    ("IOW", "isle-of-wight"),
    ("newport isle of wight", "isle-of-wight"),
    ("the Isle of Wight Council", "isle-of-wight"),
    ("isleofwight", "isle-of-wight"),
    ("ME14", "kent"),
    ("my postcode is me14 1xx", "kent"),
    ("PO30", "isle-of-wight"),
    ("po30 1ud", "isle-of-wight"),
])
def test_names_typos_and_postcodes_find_the_seeded_areas(directory, text, area):
    assert area_value_from_text(text, directory) == area


@pytest.mark.parametrize("text, value", [("I live in Wales", "wales"), ("cymru", "wales"),
                                         ("we are in England", "england")])
def test_a_country_alone_is_found(directory, text, value):
    assert area_value_from_text(text, directory) == value


def test_a_place_beats_the_country(directory):
    assert area_value_from_text("Maidstone, England", directory) == "kent"


@pytest.mark.parametrize(("text", "value"), [
    ("Leeds", "england"), ("I live in Manchester", "england"), ("we are in Swansea", "wales"),
    ("Hywel Dda health board", "wales"),
])
def test_a_town_we_hold_no_contacts_for_gives_its_country(directory, text, value):
    assert area_value_from_text(text, directory) == value


@pytest.mark.parametrize("text", [
    "Lerwick", "I live in Narnia", "LS6 4AB", "ME4",  # ME4 is Medway, a different council
    "newport",  # also a city in Wales: not guessed
    "I want to complain", "the NHS part is rubbish", "my county council won't listen",
    "I can't pay my rent", "I am over it", "I was on a s3", "my cows", "",
])
def test_unknown_places_and_ordinary_sentences_find_nothing(directory, text):
    assert find_area(text, directory) is None


def test_normalise_drops_the_words_every_council_shares():
    assert normalise("Kent County Council") == "kent"
    assert normalise("The Isle of Wight's council") == "isle of wight"


def test_kent_gets_its_own_contacts_then_the_english_ombudsmen_and_advice(directory):
    answer = complaint_contacts(directory, "kent")
    names = [c.who for c in answer.contacts]
    assert answer.kind == "area" and answer.country == "England"
    assert names[:3] == ["Kent County Council: adult social care complaints",
                         "Kent County Council: children's social services complaints",
                         "NHS Kent and Medway Integrated Care Board"]
    assert "Local Government and Social Care Ombudsman" in names
    assert "Parliamentary and Health Service Ombudsman" in names
    assert "Public Services Ombudsman for Wales" not in names
    assert not any(c.purpose == "crisis" for c in answer.contacts)


def test_the_isle_of_wight_names_its_council_and_icb_without_numbers(directory):
    answer = complaint_contacts(directory, "isle-of-wight")
    local = answer.contacts[:2]
    assert [c.who for c in local] == ["Isle of Wight Council: adult social care complaints",
                                      "NHS Hampshire and Isle of Wight Integrated Care Board"]
    assert all(c.phone == c.email == c.web == "" and c.note for c in local)


def test_wales_gets_the_welsh_ombudsman_not_the_english_ones(directory):
    answer = complaint_contacts(directory, "wales")
    names = [c.who for c in answer.contacts]
    assert answer.kind == "country" and answer.country == "Wales"
    assert "Public Services Ombudsman for Wales" in names
    assert "Local Government and Social Care Ombudsman" not in names
    assert "Citizens Advice (England) Adviceline" not in names


def test_an_unknown_area_gets_every_ombudsman_and_no_local_number(directory):
    answer = complaint_contacts(directory, UNKNOWN)
    assert answer.kind == UNKNOWN and answer.area is None and answer.country is None
    assert {c.purpose for c in answer.contacts} == {"complaints", "advice"}
    assert {"Local Government and Social Care Ombudsman", "Parliamentary and Health Service "
            "Ombudsman", "Public Services Ombudsman for Wales"} <= {c.who for c in
                                                                     answer.contacts}
