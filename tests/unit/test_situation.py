"""bot.situation: who is asking, the sections, where the person is now, the area and what
happened, read from one message; and how a later message corrects them."""

from __future__ import annotations

import pytest

from bot import contacts
from bot.situation import CARER, PATIENT, Situation, read, role_in, sections_in, updated
from bot.situation_text import summary, topics_for


@pytest.fixture(scope="module")
def directory():
    return contacts.load_directory(contacts.DEFAULT_FILE)


@pytest.mark.parametrize(("text", "facts"), [
    ("I'm his sister, he was on a section 3 and is in a care home now",
     {"role": "carer", "sections": ["3"], "place": "care_home"}),
    ("My mum was sectioned under a section 3 and she's now in a care home in Maidstone. The "
     "council says she must pay £180 a week. Is that right?",
     {"role": "carer", "sections": ["3"], "place": "care_home", "area": "kent",
      "country": "England", "events": ["charged"]}),
    ("they moved me from the remand centre on a section 48, do I get it?",
     {"role": "patient", "sections": ["48"]}),
    ("I'm an AMHP. My client was detained under s.37/41 and conditionally discharged to "
     "supported accommodation in Swansea. The council says his 117 has ended.",
     {"role": "advocate", "sections": ["37/41"], "orders": ["conditional_discharge"],
      "place": "supported_living", "area": "wales", "country": "Wales", "events": ["ended"]}),
    ("I live in Swansea", {"area": "wales", "country": "Wales"}),
    ("my son is 45 and lives with us, he was on section 3",
     {"role": "carer", "sections": ["3"], "place": "home"}),
    ("i was on a 3 and now im home. they want me to pay",
     {"role": "patient", "sections": ["3"], "place": "home", "events": ["charged"]}),
])
def test_reads_the_facts_stated(directory, text, facts):
    assert read(text, directory).facts() == facts


@pytest.mark.parametrize("text", ["she is 37 and lives alone", "we pay £48 a week",
                                  "he was in hospital for 3 weeks", "what is section 117"])
def test_numbers_that_are_not_sections_are_not_read_as_sections(text):
    assert sections_in(text) == []


def test_a_correction_replaces_the_section_and_keeps_the_rest(directory):
    known = read("I'm his sister, he was on a section 3 and is in a care home now", directory)
    now = updated(known, read("sorry, it was a section 2 not a 3", directory),
                  "sorry, it was a section 2 not a 3")
    assert now.sections == ("2",)
    assert (now.role, now.place) == ("carer", "care_home")


def test_the_role_changes_only_when_the_person_says_who_they_are(directory):
    carer = Situation(role="carer")
    text = "can i get a carers assessment"
    assert updated(carer, read(text, directory), text).role == "carer"
    text = "actually i'm the patient, i was sectioned"
    assert updated(carer, read(text, directory), text).role == "patient"


def test_the_summary_speaks_to_the_person_and_the_topics_fit_the_situation():
    situation = Situation(role="carer", sections=("3",), place="care_home", events=("charged",))
    assert summary(situation) == ("You are asking for someone you care for. They were on a "
                                  "section 3.\n\nThey are in a care home now. They were asked "
                                  "to pay.")
    assert summary(Situation(sections=("37",))) == "You were on a section 37."
    assert topics_for(situation)[:3] == ["ask_charging", "ask_refund", "check_eligibility"]
    assert summary(Situation()) == ""


def test_billing_and_a_present_detention_are_read():
    from bot.situation import events_in, place_in
    assert "charged" in events_in("Kent have been billing her for her home care")
    assert "ended" in events_in("They've told me my 117 ends after 12 months.")
    assert place_in("I'm a solicitor acting for a man detained under s.3") == "hospital"
    assert place_in("My client was detained under s.37/41 in 2019") is None


def test_family_named_or_shared_and_where_they_might_go_are_read():
    from bot.situation import place_in, role_in
    assert role_in("hi, my son Liam was on a section 3 at the start of the year") == "carer"
    assert role_in("Our son has 117 through Leeds after his section 3.") == "carer"
    assert role_in("I'm his older brother, our mum and dad passed away") == "carer"
    assert place_in("Mum has been on a section 3 on a ward in Canterbury since January and the "
                    "consultant has started talking about her going home") == "hospital"
    assert place_in("the staff think she could manage in her own flat") is None


@pytest.mark.parametrize(("text", "sections"), [
    ("hi i was on a secton 3 for 5 months and got out in june", ["3"]),
    ("my son was on a sectoin 37/41", ["37/41"]),
    ("she was put on a sction 2 in may", ["2"]),
])
def test_a_misspelt_section_is_still_read(text, sections):
    assert sections_in(text) == sections


def test_a_changed_section_is_added_and_a_corrected_one_replaces():
    known = read("im still on the ward on a section 2, will i get aftercare?")
    changed = "oh wait no they changed it to a 3 last week"
    assert updated(known, read(changed), changed).sections == ("2", "3")
    corrected = "sorry, it was a section 3 not a 2"
    assert updated(known, read(corrected), corrected).sections == ("3",)


def test_its_me_who_was_on_the_section_changes_who_is_asking():
    text = "actually sorry, it's me who was on the section 3, not her"
    told = read(text)
    assert told.role == PATIENT and told.sections == ("3",)
    assert updated(Situation(role=CARER), told, text).role == PATIENT


def test_where_someone_wants_to_live_is_not_where_they_are():
    assert read("I'm in a care home on 117 and I want my own flat").place == "care_home"


def test_never_sectioned_is_the_checkers_not_sectioned_but_never_undoes_a_section():
    assert read("i went in voluntary, never sectioned. can i get 117?").sections == ("none",)
    assert read("She went in as an informal patient and came home in May.").sections == ("none",)
    # a section spoken of: detained before, whatever they are now
    for text in ("His section was lifted and he is an informal patient now.",
                 "he is not sectioned any more", "My son's section 3 was lifted but he's "
                 "still on the ward as a voluntary patient."):
        assert read(text).sections != ("none",), text
    text = "she's a voluntary patient now"
    assert updated(Situation(sections=("3",)), read(text), text).sections == ("3",)
    assert summary(read("i was never sectioned")) == "You were not sectioned."


def test_a_neighbour_or_friend_writes_as_a_carer():
    assert role_in("I'm a neighbour of an elderly man who has no family at all.") == CARER
    assert role_in("im her friend, she was sectioned last week") == CARER


def test_has_been_sectioned_is_in_hospital_now_unless_said_of_the_past():
    assert read("my son has just been sectioned").place == "hospital"
    assert read("He's been sectioned, I don't know which section.").place == "hospital"
    assert read("I have been detained in 2019, now I'm fine").place is None


def test_what_is_asked_about_did_not_happen_and_home_care_is_at_home():
    from bot.situation import events_in, place_in
    assert events_in("can they end my 117 while im still on conditions") == []
    assert events_in("will they charge me for it") == []
    assert events_in("do i have to pay for it") == []
    assert events_in("they ended my 117") == ["ended"]
    assert "charged" in events_in("they charged me £50 and I have to pay it by Friday")
    assert place_in("Kent have been billing her for her home care") == "home"
