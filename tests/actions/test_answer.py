"""action_answer and action_note_situation with the real domain: the response names said,
in order, and the slot events."""

from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from actions.answer import ActionAnswer, last_topic_intent
from actions.situation import ActionNoteSituation
from tests.actions.conftest import bot_event, make_tracker


def ranking(**scores: float) -> list[dict]:
    return [{"name": k, "confidence": v} for k, v in scores.items()]


def sentences(*parts: tuple[str, float, dict]) -> list[dict]:
    return [{"text": t, "asks": a, "ranking": ranking(**r)} for t, a, r in parts]


def answer(domain, text="", slots=None, events=None, intent="nlu_fallback", scores=None,
           parts=None):
    tracker = make_tracker(slots=slots, events=events, text=text, intent=intent,
                           intent_ranking=ranking(**(scores or {})))
    if parts is not None:
        tracker.latest_message["sentences"] = parts
    dispatcher = CollectingDispatcher()
    result = ActionAnswer().run(dispatcher, tracker, domain)
    return [m.get("response") for m in dispatcher.messages], dispatcher.messages, result


def test_a_sure_question_gets_its_topic_answer_only(domain):
    names, _, _ = answer(domain, "do i have to pay", intent="ask_charging",
                         scores={"ask_charging": 0.95})
    assert names == ["utter_charging"]


def test_a_story_gets_the_main_answer_then_its_other_question_as_a_button(domain):
    parts = sentences(("My mum was on a section 3 and lives in a care home.", 0.0,
                       {"ask_housing": 0.6}),
                      ("Does she have to pay for it?", 1.0, {"ask_charging": 0.9}),
                      ("Can we get back what she paid?", 1.0, {"ask_refund": 0.85}))
    names, messages, _ = answer(domain, "story", scores={"ask_charging": 0.5, "ask_refund": 0.3},
                                parts=parts)
    assert names == ["utter_charging", "utter_also_asked"]
    assert [b["payload"] for b in messages[1]["buttons"]] == ["/ask_refund"]


def test_can_he_get_it_gives_the_verdict_for_the_sections_already_known(domain):
    names, _, events = answer(domain, "can he get it?", intent="ask_eligibility",
                              scores={"ask_eligibility": 0.9},
                              slots={"elig_sections": ["3"], "elig_status": "left"})
    assert names[0] == "utter_elig_verdict_eligible"
    assert events[-1]["name"] == "elig_reasons"


def test_a_follow_up_after_direct_payments_is_about_the_nhs_budget(domain):
    names, _, _ = answer(domain, "and is that the same for the NHS bit?",
                         scores={"ask_icb": 0.5, "ask_phb": 0.3, "ask_charging": 0.2},
                         events=[bot_event("utter_direct_payments")])
    assert names[0] == "utter_phb"


def test_complaints_use_the_known_country(domain):
    names, messages, _ = answer(domain, "who do i complain to", intent="complain",
                                scores={"complain": 0.9}, slots={"area": "wales"},
                                events=[bot_event("utter_wales")])
    assert names == ["utter_complaints", "utter_complaints_wales",
                     "utter_complaints_contacts_wales"]
    assert any(c["who"] == "Public Services Ombudsman for Wales"
               for c in messages[2]["custom"]["contacts"])


def test_the_complaint_steps_are_not_given_twice_in_a_row(domain):
    # "what if they still say he has to pay" got the steps and "Where do they live?"
    before = [{"event": "user", "text": "what if they still say he has to pay"},
              bot_event("utter_complaints"), bot_event("utter_ask_area"),
              {"event": "user", "text": "now"}]
    names, _, _ = answer(domain, "who do I write to", intent="complain",
                         scores={"complain": 0.9}, events=before)
    assert names == ["utter_ask_area"]  # only the question still open
    names, _, _ = answer(domain, "we live in Kent", intent="complain", scores={"complain": 0.9},
                         slots={"area": "kent"}, events=before)
    assert names == ["utter_complaints_contacts"]  # only what is new
    asked_again = before + [bot_event("utter_ask_area"), {"event": "user", "text": "later"}]
    names, _, _ = answer(domain, "we live in Kent", intent="complain", scores={"complain": 0.9},
                         slots={"area": "kent"}, events=asked_again)
    assert names == ["utter_complaints_contacts"]  # the area question came twice: still new
    # Asked again later, after another answer, the steps come again.
    later = [{"event": "user", "text": "x"}, bot_event("utter_charging"),
             {"event": "user", "text": "now"}]
    names, _, _ = answer(domain, "how do I complain", intent="complain",
                         scores={"complain": 0.9}, slots={"area": "kent"}, events=later)
    assert names == ["utter_complaints", "utter_complaints_contacts"]


def test_a_situation_without_a_question_is_noted_with_topics_that_fit(domain):
    parts = sentences(("My son was on a section 3.", 0.0, {"inform": 0.8}),
                      ("He is in a care home now.", 0.0, {"ask_housing": 0.4}))
    events = [{"event": "user", "text": "x"},
              {"event": "slot", "name": "situation_summary", "value": "They were..."}]
    names, messages, _ = answer(domain, "story", scores={"inform": 0.7, "ask_housing": 0.2},
                                parts=parts, events=events,
                                slots={"elig_sections": ["3"], "place": "care_home"})
    assert names == ["utter_situation_noted"]
    assert "/check_eligibility" in [b["payload"] for b in messages[0]["buttons"]]


def test_the_last_topic_comes_from_the_last_answer():
    responses = {"utter_charging": [], "utter_detail_charging": []}
    tracker = make_tracker(events=[bot_event("utter_charging"), bot_event("utter_not_what_you_asked")])
    assert last_topic_intent(tracker, responses) == "ask_charging"
    tracker = make_tracker(events=[bot_event("utter_elig_verdict_eligible")])
    assert last_topic_intent(tracker, responses) == "ask_eligibility"


def note(text, slots=None, active_loop=None, entities=None):
    tracker = make_tracker(slots=slots, text=text, entities=entities, active_loop=active_loop)
    return {e["name"]: e["value"] for e in
            ActionNoteSituation().run(CollectingDispatcher(), tracker, {})}


def test_the_situation_is_noted_as_slots_and_fills_the_checker():
    slots = note("I'm his sister, he was on a section 3 and is in a care home now")
    assert slots["role"] == "carer" and slots["place"] == "care_home"
    assert slots["elig_sections"] == ["3"] and slots["elig_status"] == "left"
    assert slots["situation_summary"].startswith("You are asking for someone you care for.")


def test_a_welsh_town_sets_the_country_and_a_button_notes_nothing():
    assert note("I live in Swansea")["country"] == "Wales"
    assert note('/greet{"area": "kent"}') == {}


def test_a_crisis_text_sent_as_the_crisis_intent_still_notes_its_situation():
    words = "im on a section 3 in supported living and i want to end it all"
    tracker = make_tracker(text="/crisis", intent="crisis",
                           events=[{"event": "user", "text": "/crisis",
                                    "metadata": {"crisis_text": words}}])
    slots = {e["name"]: e["value"] for e in
             ActionNoteSituation().run(CollectingDispatcher(), tracker, {})}
    assert slots["elig_sections"] == ["3"] and slots["place"] == "supported_living"
    assert slots["role"] == "patient"


def test_the_crisis_intent_without_its_words_notes_nothing():
    tracker = make_tracker(text="/crisis", intent="crisis",
                           events=[{"event": "user", "text": "/crisis", "metadata": {}}])
    assert ActionNoteSituation().run(CollectingDispatcher(), tracker, {}) == []


def test_inside_a_form_the_checker_answers_are_left_to_the_form():
    slots = note("it was a section 2", slots={"elig_sections": ["3"]},
                 active_loop="eligibility_form")
    assert "elig_sections" not in slots


def test_an_unsure_reading_asks_with_the_two_likeliest_topics_first(domain):
    names, messages, _ = answer(domain, "bill", scores={"ask_charging": 0.2, "ask_refund": 0.18,
                                                         "greet": 0.31, "thanks": 0.31})
    assert names == ["utter_clarify", "utter_clarify_other"]
    assert [b["payload"] for b in messages[0]["buttons"]] == ["/ask_charging", "/ask_refund"]


def test_crisis_as_the_likeliest_reading_gives_the_crisis_numbers(domain):
    names, _, _ = answer(domain, "i cant", scores={"crisis": 0.4, "ask_charging": 0.3})
    assert names == ["utter_crisis"]


def test_the_topics_offered_last_are_known_and_a_verdict_s_own_buttons_are_not_topics():
    from actions.answer import last_exchange, offered_in

    def offered_in_last_answer(tracker):
        return offered_in(last_exchange(tracker)[1])
    events = [{"event": "user", "text": "my son is moving to Harrogate"},
              {"event": "bot", "text": "Thank you. I have noted this.",
               "data": {"buttons": [{"title": "Moving house", "payload": "/ask_moving_house"},
                                    {"title": "Check for me", "payload": "/check_eligibility"},
                                    {"title": "More detail",
                                     "payload": '/more_detail{"topic": "x"}'}]}},
              {"event": "user", "text": "does his aftercare come with him?"}]
    assert offered_in_last_answer(make_tracker(events=events)) == ("ask_moving_house",)
    assert offered_in_last_answer(make_tracker(events=events[:1])) == ()


def test_asking_to_be_checked_with_no_section_known_starts_the_checker(domain):
    text = "Can you check whether my dad could get 117? I don't know what section he was on."
    parts = sentences(("Can you check whether my dad could get 117?", 1.0,
                       {"ask_eligibility": 0.7, "check_eligibility": 0.2}),
                      ("I don't know what section he was on.", 0.0, {"inform": 0.9}))
    names, _, events = answer(domain, text, scores={"ask_eligibility": 0.6,
                                                    "check_eligibility": 0.3}, parts=parts)
    assert events[0] == {"event": "followup", "name": "eligibility_form", "timestamp": None}
    assert names == []  # not the general rule ("utter_eligibility")
    # a section already known: the verdict at once, no questions
    names, _, events = answer(domain, text, scores={"ask_eligibility": 0.6,
                                                    "check_eligibility": 0.3}, parts=parts,
                              slots={"elig_sections": ["3"], "elig_status": "left"})
    assert names[0] == "utter_elig_verdict_eligible"


def test_not_what_you_asked_never_repeats_a_button_the_answer_shows(domain):
    own = {b["payload"][1:] for b in domain["responses"]["utter_refund"][0]["buttons"]
           if b["payload"].startswith("/ask_") or b["payload"] == "/complain"}
    assert own, "utter_refund has topic buttons of its own"
    first = sorted(own)[0]
    names, messages, _ = answer(domain, "can we get back what he paid for it",
                                scores={"ask_refund": 0.5, first: 0.3, "ask_medication": 0.2})
    assert names[0] == "utter_refund"
    offered = [b["payload"] for m in messages[1:] for b in m.get("buttons") or []]
    assert f"/{first}" not in offered and "/ask_medication" in offered
