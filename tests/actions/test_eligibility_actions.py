"""Eligibility actions with a collecting dispatcher and a hand-built tracker."""

from __future__ import annotations

import asyncio

import pytest
from rasa_sdk.events import SlotSet

from actions.eligibility import (ActionEligibilityAnswer, ActionEligibilityChange,
                                 ActionEligibilityDetail, ActionEligibilityResult,
                                 ActionEligibilityStart)
from actions.eligibility_form import ValidateEligibilityForm

from .conftest import make_tracker


def names(dispatcher):
    return [m["response"] for m in dispatcher.messages]


def ents(**values):
    out = []
    for entity, texts in values.items():
        for text in texts:
            out.append({"entity": entity, "value": text})
    return out


def slot_event(name, value):
    return {"event": "slot", "name": name, "value": value}


# ------------------------------------------------------------------ one-shot answers

def test_section_2_one_shot_is_a_no_with_the_care_act_next_step(dispatcher, domain):
    tracker = make_tracker(intent="ask_eligibility", text="I was on a section 2, can I get 117?",
                           entities=ents(section=["section 2"]))
    events = ActionEligibilityAnswer().run(dispatcher, tracker, domain)
    assert names(dispatcher) == ["utter_elig_verdict_not_eligible", "utter_elig_reason_only_s2",
                                 "utter_elig_next_care_act"]
    assert events == [SlotSet("elig_sections", ["2"]), SlotSet("elig_orders", None),
                      SlotSet("elig_status", None), SlotSet("elig_leave", None),
                      SlotSet("elig_readmit", None), SlotSet("elig_reasons", ["only_s2"])]


def test_37_41_conditionally_discharged_one_shot_is_a_yes(dispatcher, domain):
    tracker = make_tracker(intent="ask_eligibility", entities=ents(
        section=["37/41"], order=["conditionally discharged"]))
    events = ActionEligibilityAnswer().run(dispatcher, tracker, domain)
    assert names(dispatcher) == ["utter_elig_verdict_eligible", "utter_elig_reason_sec_37_41",
                                 "utter_elig_reason_conditional_discharge",
                                 "utter_elig_next_ask_plan"]
    assert SlotSet("elig_orders", ["conditional_discharge"]) in events


def test_section_37_and_guardianship_one_shot_depends_on_which_order(dispatcher, domain):
    # A s37 hospital order then guardianship counts; a s37 guardianship order alone does not.
    tracker = make_tracker(intent="ask_eligibility", text="section 37 and guardianship",
                           entities=ents(section=["section 37"], order=["guardianship"]))
    events = ActionEligibilityAnswer().run(dispatcher, tracker, domain)
    assert names(dispatcher) == ["utter_elig_verdict_depends",
                                 "utter_elig_reason_s37_guardianship",
                                 "utter_elig_next_find_section"]
    assert SlotSet("elig_reasons", ["s37_guardianship"]) in events


def test_s17_leave_tagged_as_a_section_still_counts_as_leave(dispatcher, domain):
    tracker = make_tracker(intent="ask_eligibility", entities=ents(section=["s3", "s17"]))
    ActionEligibilityAnswer().run(dispatcher, tracker, domain)
    assert names(dispatcher)[0] == "utter_elig_verdict_depends"


def test_no_section_in_the_message_gives_the_general_rule(dispatcher, domain):
    tracker = make_tracker(intent="ask_eligibility", text="am I eligible?",
                           slots={"elig_reasons": ["only_s2"]})
    assert ActionEligibilityAnswer().run(dispatcher, tracker, domain) == [
        SlotSet("elig_reasons", None)]
    assert names(dispatcher) == ["utter_eligibility"]


# ------------------------------------------------------------------ form result and detail

def test_the_form_result_reads_the_slots(dispatcher, domain):
    tracker = make_tracker(slots={"elig_sections": ["3"], "elig_status": "left",
                                  "elig_readmit": "section_2"})
    events = ActionEligibilityResult().run(dispatcher, tracker, domain)
    assert names(dispatcher) == ["utter_elig_verdict_eligible", "utter_elig_reason_sec_3",
                                 "utter_elig_reason_readmit_s2", "utter_elig_next_ask_plan"]
    assert events == [SlotSet("elig_reasons", ["sec_3", "readmit_s2"])]


def test_every_response_a_result_can_name_exists(domain):
    from tests.unit.test_eligibility import CASES

    from bot.eligibility import check
    for case, history, *_ in CASES:
        for name in check(history).response_names:
            assert name in domain["responses"], (case, name)
        for code in check(history).codes:
            assert f"utter_elig_detail_{code}" in domain["responses"], code


def test_detail_shows_the_basis_of_each_reason(dispatcher, domain):
    tracker = make_tracker(slots={"elig_reasons": ["sec_3", "cto"]})
    assert ActionEligibilityDetail().run(dispatcher, tracker, domain) == []
    assert names(dispatcher) == ["utter_elig_detail_sec_3",
                                 "utter_elig_detail_cto"]


def test_detail_without_a_result_shows_the_general_detail(dispatcher, domain):
    ActionEligibilityDetail().run(dispatcher, make_tracker(), domain)
    assert names(dispatcher) == ["utter_detail_eligibility"]


# ------------------------------------------------------------------ start again and change

def test_check_for_me_keeps_what_was_said(dispatcher, domain):
    tracker = make_tracker(intent="check_eligibility", slots={"elig_sections": ["3"]})
    assert ActionEligibilityStart().run(dispatcher, tracker, domain) == []
    assert names(dispatcher) == []


def test_am_i_eligible_with_nothing_named_starts_the_form_with_nothing_changed(dispatcher, domain):
    tracker = make_tracker(intent="check_eligibility", text="am I eligible?")
    assert ActionEligibilityStart().run(dispatcher, tracker, domain) == []
    assert names(dispatcher) == []


def test_a_check_that_names_a_section_pre_fills_the_form_and_drops_old_answers(dispatcher,
                                                                                domain):
    tracker = make_tracker(intent="check_eligibility", text="can you check, I was on a section 3",
                           entities=ents(section=["section 3"]),
                           slots={"elig_status": "leave", "elig_leave": "short",
                                  "elig_reasons": ["only_s2"]})
    events = ActionEligibilityStart().run(dispatcher, tracker, domain)
    assert names(dispatcher) == []  # the form asks what it still needs; no answer yet
    assert events == [SlotSet("elig_sections", ["3"]), SlotSet("elig_orders", None),
                      SlotSet("elig_status", None), SlotSet("elig_leave", None),
                      SlotSet("elig_readmit", None), SlotSet("elig_reasons", None)]


def test_a_check_that_names_an_order_pre_fills_it(dispatcher, domain):
    tracker = make_tracker(intent="check_eligibility", text="check for my son, he is on a CTO",
                           entities=ents(order=["CTO"]))
    events = ActionEligibilityStart().run(dispatcher, tracker, domain)
    assert SlotSet("elig_orders", ["cto"]) in events
    assert SlotSet("elig_sections", None) in events


@pytest.mark.parametrize("intent,entities", [
    ("start_again", []), ("check_eligibility", ents(elig_answer=["restart"]))])
def test_start_again_clears_the_answers(dispatcher, domain, intent, entities):
    tracker = make_tracker(intent=intent, entities=entities)
    events = ActionEligibilityStart().run(dispatcher, tracker, domain)
    assert names(dispatcher) == ["utter_elig_start_again"]
    assert events == [SlotSet(s, None) for s in ("elig_sections", "elig_status", "elig_leave",
                                                 "elig_readmit", "elig_orders", "elig_reasons")]


def test_change_clears_the_last_answer_and_what_depends_on_it(dispatcher, domain):
    tracker = make_tracker(intent="change_answer", events=[
        slot_event("elig_sections", ["3"]), slot_event("elig_status", "left"),
        slot_event("requested_slot", "elig_readmit")])
    events = ActionEligibilityChange().run(dispatcher, tracker, domain)
    assert names(dispatcher) == ["utter_elig_change"]
    assert events == [SlotSet("elig_status", None), SlotSet("elig_leave", None),
                      SlotSet("elig_readmit", None), SlotSet("elig_orders", None),
                      SlotSet("elig_reasons", None)]


def test_change_with_the_new_answer_in_the_message_clears_nothing_else(dispatcher, domain):
    tracker = make_tracker(intent="change_answer", entities=ents(section=["section 37"]),
                           events=[slot_event("elig_sections", ["section 37"])])
    assert ActionEligibilityChange().run(dispatcher, tracker, domain) == [
        SlotSet("elig_reasons", None)]
    assert names(dispatcher) == ["utter_elig_changed"]


# ------------------------------------------------------------------ form validation

def validate(tracker, domain, dispatcher):
    return asyncio.run(ValidateEligibilityForm().run(dispatcher, tracker, domain))


def form_tracker(requested, text="", intent="inform", entities=None, slots=None, events=None):
    slots = dict(slots or {})
    slots["requested_slot"] = requested
    return make_tracker(slots=slots, text=text, intent=intent, entities=entities,
                        events=(events or []) + [{"event": "user", "text": text}],
                        active_loop="eligibility_form")


@pytest.mark.parametrize("text,expected", [
    ("I don't know", ["unknown"]), ("I was never sectioned", ["none"]),
])
def test_typed_section_answers_without_entities(dispatcher, domain, text, expected):
    events = validate(form_tracker("elig_sections", text), domain, dispatcher)
    assert SlotSet("elig_sections", expected) in events


def test_a_section_entity_is_made_canonical_and_the_next_question_is_status(dispatcher, domain):
    tracker = form_tracker("elig_sections", "s.37", entities=ents(section=["s.37"]))
    tracker.slots["elig_sections"] = ["s.37"]
    tracker.events.append(slot_event("elig_sections", ["s.37"]))
    events = validate(tracker, domain, dispatcher)
    assert SlotSet("elig_sections", ["37"]) in events
    assert events[-1] == SlotSet("requested_slot", "elig_status")


@pytest.mark.parametrize("requested,text,entities,expected", [
    ("elig_status", "a CTO", ents(order=["CTO"]), "cto"),
    ("elig_status", "", ents(elig_answer=["left"]), "left"),
    ("elig_status", "I'm back home now", [], "left"),
    ("elig_leave", "long unescorted leave", [], "long"),
    ("elig_leave", "", ents(elig_answer=["short"]), "short"),
    ("elig_readmit", "yes on a section 2", ents(section=["section 2"]), "section_2"),
])
def test_typed_and_button_answers(dispatcher, domain, requested, text, entities, expected):
    slots = {"elig_sections": ["3"]}
    if requested == "elig_leave":
        slots["elig_status"] = "leave"
    if requested == "elig_readmit":
        slots["elig_status"] = "left"
    events = validate(form_tracker(requested, text, entities=entities, slots=slots), domain,
                      dispatcher)
    assert SlotSet(requested, expected) in events


def test_a_section_2_said_about_going_back_in_does_not_replace_the_first_section(dispatcher,
                                                                                   domain):
    earlier = [slot_event("elig_sections", ["3"]), {"event": "user", "text": "left"},
               slot_event("elig_status", "left")]
    tracker = form_tracker("elig_readmit", "yes on a section 2", entities=ents(
        section=["section 2"]), slots={"elig_sections": ["section 2"], "elig_status": "left"},
        events=earlier)
    tracker.events.append(slot_event("elig_sections", ["section 2"]))
    events = validate(tracker, domain, dispatcher)
    assert SlotSet("elig_sections", ["3"]) in events
    assert SlotSet("elig_readmit", "section_2") in events


def test_a_short_answer_read_as_another_intent_is_still_an_answer(dispatcher, domain):
    events = validate(form_tracker("elig_status", "I left hospital", intent="ask_when_starts",
                                   slots={"elig_sections": ["3"]}), domain, dispatcher)
    assert SlotSet("elig_status", "left") in events


def test_an_answer_not_understood_is_asked_again(dispatcher, domain):
    events = validate(form_tracker("elig_status", "banana"), domain, dispatcher)
    assert names(dispatcher) == ["utter_elig_not_understood"]
    assert SlotSet("elig_status", None) in events


@pytest.mark.parametrize("intent,text", [
    ("crisis", "I want to die"), ("stop", "stop"), ("ask_charging", "do I have to pay"),
    ("ask_charging", "do I have to pay for my care home?"),
    ("nlu_fallback", "what is a CTO?"), ("define_term", "what does conditionally discharged mean")])
def test_a_message_that_is_not_an_answer_is_left_to_the_rules(dispatcher, domain, intent, text):
    events = validate(form_tracker("elig_status", text, intent=intent,
                                   slots={"elig_sections": ["3"]}), domain, dispatcher)
    assert names(dispatcher) == []
    assert [e for e in events if e["name"] == "elig_status"] == []


@pytest.mark.parametrize("slots,next_slot", [
    ({}, "elig_sections"),
    ({"elig_sections": ["2"]}, None),
    ({"elig_orders": ["cto"]}, None),
    ({"elig_sections": ["3"], "elig_orders": ["section 17 leave"]}, "elig_leave"),
    ({"elig_sections": ["3"], "elig_status": "left"}, "elig_readmit"),
])
def test_only_the_questions_still_needed_are_asked(dispatcher, domain, slots, next_slot):
    tracker = make_tracker(slots={**slots, "requested_slot": None}, intent="check_eligibility",
                           active_loop="eligibility_form")
    events = validate(tracker, domain, dispatcher)
    assert events[-1] == SlotSet("requested_slot", next_slot)


def test_an_order_said_mid_form_fills_the_status_so_the_form_is_not_rejected(dispatcher, domain):
    tracker = form_tracker("elig_status", "a CTO", entities=ents(order=["CTO"]),
                           slots={"elig_sections": ["37"], "elig_orders": ["CTO"]})
    events = validate(tracker, domain, dispatcher)
    assert SlotSet("elig_status", "cto") in events
    assert events[-1] == SlotSet("requested_slot", None)


def test_an_order_said_before_the_form_is_never_asked_about(dispatcher, domain):
    tracker = make_tracker(slots={"elig_sections": ["3"], "elig_orders": ["back in prison"],
                                  "requested_slot": None}, intent="check_eligibility",
                           active_loop="eligibility_form")
    events = validate(tracker, domain, dispatcher)
    assert SlotSet("elig_status", "prison") in events
    assert events[-1] == SlotSet("requested_slot", None)


def test_a_section_in_a_message_nlu_was_unsure_of_is_still_read(dispatcher, domain):
    tracker = form_tracker("elig_sections", "s.37 i think", intent="nlu_fallback",
                           entities=ents(section=["s.37"]))
    events = validate(tracker, domain, dispatcher)
    assert SlotSet("elig_sections", ["37"]) in events


def test_a_story_given_as_the_answer_fills_the_sections_and_the_place_fills_where_they_are(
        dispatcher, domain):
    story = "she was on a section 2 then they changed it to a section 3. she's in a care home now"
    tracker = form_tracker("elig_sections", story, intent="nlu_fallback",
                           slots={"place": "care_home"})
    events = validate(tracker, domain, dispatcher)
    assert SlotSet("elig_sections", ["2", "3"]) in events
    assert SlotSet("elig_status", "left") in events
    assert events[-1] == SlotSet("requested_slot", "elig_readmit")
    assert names(dispatcher) == []


def test_a_story_that_asks_something_is_left_to_the_rules(dispatcher, domain):
    story = "she was on a section 3 and is in a care home. does she have to pay for it?"
    events = validate(form_tracker("elig_sections", story, intent="nlu_fallback"), domain,
                      dispatcher)
    assert not any(e.get("name") == "elig_sections" and e.get("value") for e in events)
