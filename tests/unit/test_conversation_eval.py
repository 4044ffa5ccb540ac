"""The scoring of scripts/conversation_eval.py, on hand-made turns (no model needed)."""

from __future__ import annotations

from scripts.conversation_eval import (Tally, Turn, facts_of, label_of, score_long,
                                       turn_from_events, turn_is_right)


def bot(name: str, buttons: list[str] | None = None) -> dict:
    return {"event": "bot", "metadata": {"utter_action": name},
            "data": {"buttons": [{"title": b, "payload": b} for b in buttons or []]}}


def test_labels_of_responses():
    assert label_of("utter_charging") == "charging"
    assert label_of("utter_elig_verdict_eligible") == "eligibility_verdict"
    assert label_of("utter_complaints_contacts_wales") == "complaints"
    assert label_of("utter_detail_charging") == "more_detail"
    assert label_of("utter_elig_reason_sec_3") is None
    assert label_of("utter_also_asked") is None


def test_a_turn_keeps_answers_in_order_and_the_offered_topics():
    turn = turn_from_events([bot("utter_elig_verdict_eligible"), bot("utter_elig_reason_sec_3"),
                             bot("utter_also_asked", ["/ask_charging", "/complain"])])
    assert turn.labels == ["eligibility_verdict"]
    assert turn.offered == ["charging", "complaints"]
    assert turn.verdict == "eligible"


def test_a_long_message_is_scored_on_its_main_question_other_questions_and_facts():
    message = {"id": "x", "main": ["charging"], "also": [["refund", "complaints"]],
               "facts": {"role": "carer", "sections": ["3"], "area": "kent"}}
    tally = Tally()
    turn = Turn(["charging"], ["refund"], None,
                {"role": "carer", "elig_sections": ["3"], "area": "kent"})
    score_long(message, turn, tally)
    assert (tally.main_first, tally.multi_all, tally.fact_f1) == (1, 1, 1.0)
    wrong = Turn(["housing"], [], None, {"role": "patient", "elig_sections": ["3"]})
    score_long(message, wrong, tally)
    assert (tally.main_first, tally.multi_all, tally.long_total) == (1, 1, 2)
    assert tally.fact_tp == 4 and tally.fact_fp == 1 and tally.fact_fn == 2


def test_a_country_counts_as_the_area_when_no_council_is_known():
    assert facts_of({"area": "wales", "country": "Wales"}) == {("area", "wales")}
    assert facts_of({"area": "kent", "country": "England"}) == {("area", "kent")}


def test_a_turn_needs_its_answer_its_verdict_and_its_facts():
    step = {"expect": ["eligibility_verdict"], "verdict": "eligible", "facts": {"role": "carer"}}
    assert turn_is_right(step, Turn(["eligibility_verdict"], [], "eligible", {"role": "carer"}))
    assert not turn_is_right(step, Turn(["eligibility_verdict"], [], "not_yet", {"role": "carer"}))
    assert not turn_is_right(step, Turn(["eligibility_verdict"], [], "eligible", {}))


def test_the_checkers_not_sectioned_and_dont_know_are_not_scored_as_sections():
    assert facts_of({"sections": ["none"], "role": "patient"}) == {("role", "patient")}
    assert facts_of({"sections": ["unknown", "3"]}) == {("section", "3")}


def test_every_topic_button_on_the_screen_counts_as_offered():
    from scripts.conversation_eval import turn_from_events

    def bot(name, *payloads):
        return {"event": "bot", "metadata": {"utter_action": name},
                "data": {"buttons": [{"title": p, "payload": p} for p in payloads]}}

    turn = turn_from_events([bot("utter_charging", "/more_detail", "/ask_refund"),
                             bot("utter_not_what_you_asked", "/ask_top_up"),
                             {"event": "user", "text": "x"}])
    assert turn.labels == ["charging"]
    assert {"refund", "top_up"} <= set(turn.offered)
