"""bot.understanding: the main question first, other questions offered, follow-ups in context,
an answer rather than a dead end when a reading is plausible."""

from __future__ import annotations

from bot.understanding import (ANSWER, CLARIFY, NOT_SURE, SITUATION, Context, Reading,
                               SentenceReading, decide, follow_up_intent)


def short(text: str, **ranking: float) -> Reading:
    return Reading(text, ranking, (SentenceReading(text, 0.8, ranking),))


def test_a_sure_short_question_is_answered_with_nothing_more():
    d = decide(short("do i have to pay", ask_charging=0.9, ask_refund=0.05))
    assert (d.kind, d.topics, d.offers) == (ANSWER, ("ask_charging",), ())


def test_a_plausible_reading_is_answered_then_the_next_topics_are_offered():
    d = decide(short("bill for care", ask_charging=0.5, ask_refund=0.3, ask_top_up=0.2))
    assert (d.kind, d.topics, d.offers) == (ANSWER, ("ask_charging",), ("ask_refund", "ask_top_up"))


def test_an_unlikely_reading_asks_and_nothing_at_all_is_not_sure():
    d = decide(short("hmm", ask_charging=0.2, ask_refund=0.19, greet=0.31, thanks=0.3))
    assert d.kind == CLARIFY and d.offers == ("ask_charging", "ask_refund")
    assert decide(short("xyz", greet=0.3, thanks=0.3, help=0.3, ask_charging=0.05)).kind == NOT_SURE


def test_a_plain_hello_or_thanks_is_answered_as_such_unless_a_topic_is_as_likely():
    assert decide(short("thanks", thanks=0.6, ask_charging=0.1)).topics == ("thanks",)
    assert decide(short("hi my mum got a bill", greet=0.45, ask_charging=0.42)).topics == (
        "ask_charging",)


def test_a_story_is_answered_on_its_question_and_its_other_question_is_offered():
    reading = Reading("story", {"greet": 0.5, "ask_charging": 0.3, "ask_refund": 0.2}, (
        SentenceReading("Hi, my mum was on a section 3.", 0.0, {"greet": 0.6, "ask_eligibility": 0.4}),
        SentenceReading("Does she have to pay for the home?", 1.0, {"ask_charging": 0.9}),
        SentenceReading("And can we get back what she paid?", 1.0, {"ask_refund": 0.8}),
    ))
    d = decide(reading)
    assert d.kind == ANSWER and d.topics == ("ask_charging", "ask_refund")


def test_a_story_without_a_question_says_what_was_understood():
    reading = Reading("story", {"inform": 0.6, "ask_eligibility": 0.2}, (
        SentenceReading("My son was on a section 3.", 0.0, {"inform": 0.7, "ask_eligibility": 0.3}),
        SentenceReading("He lives in a care home now.", 0.0, {"ask_housing": 0.5, "inform": 0.5}),
    ))
    d = decide(reading, Context(told_facts=True))
    assert d.kind == SITUATION


def test_follow_ups_are_read_against_the_last_topic():
    after = Context(last_topic="ask_direct_payments")
    assert decide(short("and is that the same for the NHS bit?", ask_charging=0.4,
                        ask_icb=0.4, ask_phb=0.2), after).topics == ("ask_phb",)
    d = decide(short("how do I ask for one?", check_eligibility=0.5,
                     ask_direct_payments=0.3, ask_advocacy=0.2), after)
    assert d.topics == ("ask_direct_payments",)
    assert decide(short("could we claim those fees back?", ask_charging=0.6, ask_refund=0.4),
                  Context(last_topic="ask_charging")).topics == ("ask_refund",)
    assert decide(short("what if they say no?", ask_refuse_services=0.7, complain=0.3),
                  Context(last_topic="ask_direct_payments")).topics == ("complain",)


def test_a_short_can_he_get_it_uses_the_sections_already_known():
    d = decide(short("can he get it?", ask_services=0.4, ask_eligibility=0.3, greet=0.3),
               Context(knows_sections=True))
    assert d.topics == ("ask_eligibility",)
    # the same words asking about something else are answered on that
    d = decide(short("can he get direct payments?", ask_direct_payments=0.9),
               Context(knows_sections=True))
    assert d.topics == ("ask_direct_payments",)


def test_fixed_follow_ups_need_a_short_message():
    assert follow_up_intent("is that the same in Wales?") == "ask_wales"
    assert follow_up_intent("who do I complain to") == "complain"
    assert follow_up_intent("we live in wales and my son was sectioned under a section 3 "
                            "two years ago and now the council want him to pay") is None


def test_asking_whether_one_can_complain_and_what_to_say_back_are_fixed_follow_ups():
    assert follow_up_intent("ok. i'll ring them. can i complain about the 117 ending?",
                            "crisis") == "complain"
    assert follow_up_intent("can we complain?") == "complain"
    from bot.understanding import LAST_TOPIC
    assert follow_up_intent("wat do i say to her then", "ask_end_time_passed") == LAST_TOPIC
    assert follow_up_intent("what should we tell the council") == LAST_TOPIC
    # not a question about what others say, nor one with a topic of its own
    assert follow_up_intent("what do they say about rent") is None
    assert follow_up_intent("what do i say to her about moving to a care home") is None


def test_a_statement_of_the_situation_is_noted_not_answered_as_eligibility():
    text = "I'm his sister, he was on a section 3 and is in a care home now"
    scores = {"inform": 0.35, "tell_role": 0.26, "ask_eligibility": 0.07}
    d = decide(Reading(text, scores, (SentenceReading(text, 0.0, scores),)),
               Context(told_facts=True))
    assert d.kind == SITUATION


def test_saying_only_who_you_are_is_acknowledged_and_a_story_is_never_not_sure():
    said = Reading("im her daughter", {"tell_role": 0.9},
                   (SentenceReading("im her daughter", 0.0, {"tell_role": 0.9}),))
    d = decide(said, Context(told_facts=True, told_only_role=True))
    assert d.topics == ("tell_role",)
    story = Reading("story", {"greet": 0.6, "thanks": 0.38, "ask_top_up": 0.02}, (
        SentenceReading("Hi all.", 0.0, {"greet": 0.9}),
        SentenceReading("The home asked us for a top up of 150 a week", 0.0,
                        {"ask_top_up": 0.7, "ask_charging": 0.3}),
        SentenceReading("Thanks in advance", 0.0, {"thanks": 0.95}),
    ))
    assert decide(story).topics == ("ask_top_up",)


def test_a_section_named_with_an_eligibility_question_gets_the_verdict():
    text = "they moved me from the remand centre on a section 48, do I get it?"
    d = decide(short(text, ask_move_on=0.2, ask_eligibility=0.15, greet=0.1),
               Context(knows_sections=True, told_history=True))
    assert d.topics == ("ask_eligibility",)


def test_a_correction_after_a_verdict_gives_the_verdict_again_and_misspelt_follow_ups():
    d = decide(short("sorry, it was a section 2 not a 3", ask_charging=0.4, inform=0.3,
                     change_answer=0.3),
               Context(last_topic="ask_charging", knows_sections=True, told_history=True,
                       had_verdict=True))
    assert d.topics == ("ask_eligibility",)
    assert decide(short("wot if they say no", ask_refuse_services=0.8),
                  Context(last_topic="ask_charging")).topics == ("complain",)
    assert decide(short("is that aloud", more_detail=0.9),
                  Context(last_topic="ask_charging")).topics == ("ask_charging",)


def test_the_first_question_of_a_story_is_the_main_one():
    # Both questions read as sure as each other: the one asked first is answered first.
    reading = Reading("story", {"ask_charging": 0.3, "ask_refund": 0.3}, (
        SentenceReading("Dad was on a section 3 and is in a care home.", 0.0, {"inform": 0.9}),
        SentenceReading("Can they charge him for it?", 1.0, {"ask_charging": 0.7, "ask_refund": 0.3}),
        SentenceReading("Can he get back what he paid?", 1.0, {"ask_refund": 0.75, "ask_charging": 0.25}),
    ))
    assert decide(reading).topics == ("ask_charging", "ask_refund")


def test_a_statement_of_what_happened_is_answered_not_only_noted():
    ranking = {"ask_charging": 0.6, "ask_refund": 0.2, "inform": 0.2}
    reading = Reading("story", ranking, (
        SentenceReading("My aunt was on a section 3.", 0.0, {"inform": 0.7, "ask_eligibility": 0.3}),
        SentenceReading("Kent have been billing her for her home care.", 0.0, ranking),
    ))
    told = Context(told_facts=True, told_history=True)
    assert decide(reading, told).kind == SITUATION
    d = decide(reading, Context(told_facts=True, told_history=True, told_event=True))
    assert d.kind == ANSWER and d.topics == ("ask_charging",)


def test_an_unsure_follow_up_that_points_back_keeps_to_the_topic_in_hand():
    # Without the conversation it would be "Did you mean"; after the readmission answer,
    # "would a different council pay for it after?" is the Worcestershire ruling's question.
    reading = short("would a different council pay for it after?", ask_who_pays=0.28,
                    ask_dispute=0.2, ask_worcestershire=0.14, ask_refund=0.1, greet=0.28)
    assert decide(reading).kind == CLARIFY
    d = decide(reading, Context(last_topic="ask_readmission"))
    assert d.kind == ANSWER and d.topics[0] in ("ask_who_pays", "ask_worcestershire")


def test_a_follow_up_on_the_general_topic_means_the_special_case_in_hand():
    reading = short("does that end her 117?", ask_ending=0.5, ask_refuse_services=0.25,
                    ask_how_long=0.25)
    assert decide(reading).topics == ("ask_ending",)
    assert decide(reading, Context(last_topic="ask_end_dols")).topics == ("ask_end_dols",)


def test_getting_it_back_is_money_after_a_bill_and_the_help_after_it_stopped():
    assert follow_up_intent("can I get it back later if I need it?",
                            "ask_refuse_services") == "ask_restart"
    assert follow_up_intent("can I get it back?", "ask_charging") == "ask_refund"
    assert follow_up_intent("and if i've already paid some?", "ask_housing") == "ask_refund"
    assert follow_up_intent("can we get the fees back?", "ask_ending") == "ask_refund"


def test_a_say_in_the_plan_is_not_an_eligibility_follow_up():
    reading = short("do we get a say in her plan?", ask_care_plan=0.5, ask_carer=0.3,
                    ask_eligibility=0.2)
    d = decide(reading, Context(knows_sections=True, had_verdict=True))
    assert d.topics[0] != "ask_eligibility"
    assert decide(short("can she get it?", ask_eligibility=0.4, ask_services=0.3),
                  Context(knows_sections=True)).topics == ("ask_eligibility",)


def test_wales_is_not_offered_to_someone_in_england():
    reading = short("bill for care", ask_charging=0.5, ask_wales=0.3, ask_refund=0.2)
    assert decide(reading).offers == ("ask_wales", "ask_refund")
    assert decide(reading, Context(country="England")).offers == ("ask_refund",)


def test_after_a_noted_situation_a_short_question_is_read_with_what_was_told():
    told = {"ask_moving_house": 0.6, "ask_who_pays": 0.2, "inform": 0.2}
    reading = short("does his aftercare come with him?", check_eligibility=0.3,
                    ask_services=0.25, ask_moving_house=0.2, ask_carer=0.25)
    assert decide(reading).kind == CLARIFY
    d = decide(reading, Context(previous=told, offered=("ask_services", "ask_what_is_117")))
    assert d.kind == ANSWER and d.topics == ("ask_moving_house",)
    # "hi" before it tells nothing: no topic to lean on
    assert decide(reading, Context(previous={"greet": 0.9, "ask_how_long": 0.05})).kind == CLARIFY


def test_a_comment_after_an_answer_is_about_that_answer():
    reading = short("he's not always great at managing money himself", ask_imca=0.3,
                    ask_direct_payments=0.25, ask_charging=0.2, greet=0.25)
    assert decide(reading).kind == CLARIFY
    assert decide(reading, Context(last_topic="ask_direct_payments")).topics == (
        "ask_direct_payments",)


def test_a_comment_is_about_the_answer_even_when_another_topic_is_plausible():
    reading = short("he's not always great at managing money himself", ask_dispute=0.6,
                    ask_direct_payments=0.1, ask_charging=0.1)
    assert decide(reading).topics == ("ask_dispute",)  # no answer before it
    after = decide(reading, Context(last_topic="ask_direct_payments"))
    assert after.topics == ("ask_direct_payments",) and after.offers[0] == "ask_dispute"
    # not when it asks, tells new facts, or is sure of its own topic
    asking = short("is he not great at managing money?", ask_dispute=0.6)
    assert decide(asking, Context(last_topic="ask_direct_payments")).topics == ("ask_dispute",)
    assert decide(reading, Context(last_topic="ask_direct_payments", told_facts=True)
                  ).topics != ("ask_direct_payments",)
    sure = short("the council and the nhs are arguing about who pays", ask_dispute=0.95)
    assert decide(sure, Context(last_topic="ask_direct_payments")).topics == ("ask_dispute",)


def test_a_follow_up_can_be_about_what_the_last_answer_listed_under_you_also_asked():
    # the carer asked about paying first and "could we have the money instead?" second
    context = Context(last_topic="ask_charging", also_asked=("ask_direct_payments",))
    ask_for_one = short("how do i ask for one", ask_direct_payments=0.5, ask_charging=0.1)
    assert decide(ask_for_one, context).topics == ("ask_direct_payments",)
    remark = short("he's not always great at managing money himself", ask_dispute=0.5,
                   ask_direct_payments=0.3, ask_charging=0.1)
    assert decide(remark, context).topics == ("ask_direct_payments",)
    # the words do not tell: the other question, still waiting
    assert decide(short("how do i ask for one"), context).topics == ("ask_direct_payments",)
    # nothing listed, or nothing listed that one asks for: the topic answered
    assert decide(ask_for_one, Context(last_topic="ask_charging")).topics == ("ask_charging",)
    assert decide(short("how do i ask for one"), Context(
        last_topic="ask_reviews", also_asked=("ask_charging",))).topics == ("ask_reviews",)
    # a remark plausibly about the answer given stays with it
    about_main = short("we never chose this home", ask_top_up=0.6, ask_refund=0.1)
    assert decide(about_main, Context(last_topic="ask_top_up", also_asked=("ask_refund",))
                  ).topics == ("ask_top_up",)


def test_the_nhs_bit_means_a_health_budget_only_after_direct_payments():
    assert follow_up_intent("and is that the same for the NHS bit?", "ask_direct_payments") == "ask_phb"
    d = decide(short("is that the same for the NHS bit?", ask_phb=0.6, complain=0.4),
               Context(last_topic="complain"))
    assert d.topics == ("complain",)
    assert decide(short("can i ask for one?", ask_eligibility=0.5, ask_care_plan=0.5),
                  Context(last_topic="ask_care_plan")).topics == ("ask_care_plan",)


def test_only_a_question_about_getting_117_itself_is_an_eligibility_follow_up():
    known = Context(knows_sections=True)
    for text in ("could 117 get me my own council flat later on",
                 "does the health board have a duty here or just the council?"):
        d = decide(short(text, ask_housing=0.5, ask_icb=0.3, ask_eligibility=0.2), known)
        assert d.topics[0] != "ask_eligibility", text
    for text in ("does he still have aftercare?", "will she get 117 when she comes home?",
                 "does he qualify for it", "do i get it"):
        d = decide(short(text, ask_services=0.5, ask_eligibility=0.3, greet=0.2), known)
        assert d.topics == ("ask_eligibility",), text


def test_a_bill_without_words_of_money_back_is_answered_about_paying_not_noted():
    reading = short("we were billed for 117 care what do we do now", ask_refund=0.45,
                    ask_charging=0.1, inform=0.25, greet=0.2)
    d = decide(reading, Context(told_facts=True))
    assert d.kind == ANSWER and d.topics == ("ask_charging",)
    for text in ("ive been charged for my aftercare by mistake",
                 "can my client recover fees wrongly charged for s117 accommodation"):
        assert decide(short(text, ask_refund=0.5, ask_charging=0.3)).topics == ("ask_refund",)


def test_a_short_follow_up_after_an_answer_is_answered_not_asked_about():
    reading = short("who settles it in the end?", ask_dispute=0.3, ask_move_on=0.14,
                    ask_worcestershire=0.13, stop=0.2, help=0.23)
    d = decide(reading, Context(last_topic="complain"))
    assert (d.kind, d.topics, d.offers) == (ANSWER, ("ask_dispute",),
                                            ("ask_move_on", "ask_worcestershire"))
    # the same words with no answer before them: "Did you mean"
    assert decide(reading).kind == CLARIFY


def test_the_verdict_is_not_repeated_for_a_follow_up_that_asks_something_else():
    reading = short("who actually decides if it's finished?", ask_dispute=0.21,
                    ask_eligibility=0.19, ask_choice=0.18, stop=0.16, help=0.26)
    d = decide(reading, Context(last_topic="ask_eligibility", knows_sections=True))
    assert d.kind == ANSWER and d.topics == ("ask_dispute",)


def test_what_can_i_use_it_for_is_about_the_last_answer_not_the_assistant():
    reading = short("what can i use it for", help=0.88, out_of_scope=0.08, ask_services=0.02)
    assert decide(reading, Context(last_topic="ask_phb")).topics == ("ask_phb",)
    assert decide(short("what can you do", help=0.88, ask_services=0.02),
                  Context(last_topic="ask_phb")).topics == ("help",)
    assert decide(reading).topics == ("help",)


def test_a_correction_after_any_answer_gives_that_answer_again():
    reading = Reading("sorry, it's a section 3 this time, not a 2",
                      {"ask_readmission": 0.2, "change_answer": 0.18, "inform": 0.5},
                      (SentenceReading("sorry, it's a section 3 this time, not a 2", 0.0,
                                       {"ask_readmission": 0.2, "inform": 0.5}),))
    told = Context(last_topic="ask_readmission", told_facts=True, told_history=True)
    assert decide(reading, told).topics == ("ask_readmission",)
    # without the words of a correction it is a situation told
    plain = Reading("she's on a section 3 now", reading.ranking, reading.sentences)
    assert decide(plain, told).kind == SITUATION


def test_a_correction_with_no_verdict_to_change_is_noted():
    reading = short("actually sorry, it's me who was on the section 3, not her",
                    change_answer=0.65, ask_eligibility=0.22, inform=0.06)
    assert decide(reading, Context(told_facts=True, told_history=True)).kind == SITUATION
    assert decide(reading, Context(told_facts=True, had_verdict=True)).topics == ("change_answer",)


def test_a_situation_in_a_welsh_town_is_noted_with_wales_offered_not_answered():
    reading = Reading("i live in swansea, was on a section 3 last winter and im home now",
                      {"ask_wales": 0.81, "inform": 0.07, "ask_eligibility": 0.03},
                      (SentenceReading("i live in swansea...", 0.0, {"ask_wales": 0.8}),))
    told = Context(told_facts=True, told_history=True, told_area=True)
    d = decide(reading, told)
    assert d.kind == SITUATION and d.offers[0] == "ask_wales"
    # asked about Wales: answered
    asking = Reading(reading.text, reading.ranking,
                     (SentenceReading("is it different in wales?", 1.0, {"ask_wales": 0.9}),))
    assert decide(asking, told).topics == ("ask_wales",)


def test_a_concern_told_as_a_statement_is_the_question_only_when_nothing_is_asked():
    concern = SentenceReading("They want to discharge him to a placement there.", 0.5,
                              {"ask_readmission": 0.6, "ask_who_pays": 0.3})
    question = SentenceReading("Which council has to pay for his 117?", 1.0,
                               {"ask_who_pays": 0.9})
    story = SentenceReading("My brother was on a section 3.", 0.0, {"inform": 0.9})
    both = Reading("...", {"ask_who_pays": 0.5, "ask_readmission": 0.4}, (story, concern, question))
    assert decide(both, Context(told_facts=True)).topics[0] == "ask_who_pays"
    only = Reading("...", {"ask_readmission": 0.5, "inform": 0.4}, (story, concern))
    d = decide(only, Context(told_facts=True, told_history=True))
    assert d.kind == ANSWER and d.topics[0] == "ask_readmission"


def test_a_longer_follow_up_or_one_after_a_noted_situation_is_answered_too():
    comment = short("we didnt even choose it, it was the only one they offered us",
                    ask_top_up=0.28, ask_choice=0.23, inform=0.14, ask_eligibility_detail=0.14)
    assert decide(comment, Context(last_topic="ask_top_up")).topics == ("ask_top_up",)
    told = short("the council want me to pay for my support", ask_charging=0.3,
                 ask_who_pays=0.25, ask_dispute=0.12, ask_social_services=0.09, help=0.19)
    d = decide(told, Context(offered=("ask_services", "ask_what_is_117")))
    assert (d.kind, d.topics) == (ANSWER, ("ask_charging",))
    assert decide(told).kind == CLARIFY  # the first message of a conversation


def test_asking_to_be_checked_with_no_section_known_starts_the_checker():
    reading = Reading("Can you check whether my dad could get 117? I don't know his section.",
                      {"ask_eligibility": 0.6, "check_eligibility": 0.3},
                      (SentenceReading("Can you check whether my dad could get 117?", 1.0,
                                       {"ask_eligibility": 0.6, "check_eligibility": 0.3}),
                       SentenceReading("I don't know his section.", 0.0, {"inform": 0.9})))
    assert decide(reading, Context(told_facts=True)).topics[0] == "check_eligibility"
    # with a section known the verdict can be given at once
    assert decide(reading, Context(told_facts=True, knows_sections=True)).topics[0] == \
        "ask_eligibility"


def test_what_if_they_say_no_after_the_complaint_steps_is_going_further():
    assert follow_up_intent("and if they say no?", "complain") == "ask_legal_challenge"
    assert follow_up_intent("and if they say no?", "ask_charging") == "complain"


def test_pushing_back_after_an_answer_is_how_to_complain():
    # Told their rights, people ask what to do when staff carry on regardless.
    assert follow_up_intent("what if they still say he has to pay", "ask_charging") == "complain"
    assert follow_up_intent("and if they go ahead anyway?", "ask_end") == "complain"
    assert follow_up_intent("who do I write to", "ask_charging") == "complain"
    # After the complaint steps, the next step is a legal challenge.
    assert follow_up_intent("and if they go ahead anyway?", "complain") == "ask_legal_challenge"
    assert follow_up_intent("and if they go ahead anyway, can we challenge it in court?",
                            "ask_eligibility") == "ask_legal_challenge"
    # Not pushing back: no fixed meaning.
    assert follow_up_intent("what if it still hurts", "ask_services") is None
    assert follow_up_intent("who do I write to about a review", "ask_reviews") is None
    assert follow_up_intent("who do I complain to?", "complain") == "complain"


def test_a_question_with_no_topic_of_its_own_leaves_the_topic_to_the_story():
    story = SentenceReading("The council stopped her day centre with no meeting.", 0.0,
                            {"ask_ending": 0.7, "complain": 0.2})
    for question in ("What can we do now?", "What is the position?",
                     "what's the legal position here"):
        generic = SentenceReading(question, 1.0, {"ask_dispute": 0.6, "complain": 0.3})
        reading = Reading("...", {"ask_ending": 0.5, "ask_dispute": 0.3, "complain": 0.2},
                          (story, generic))
        assert decide(reading, Context(told_facts=True)).topics[0] == "ask_ending", question
    # a real second question is still offered
    top_up = SentenceReading("Can they be asked to pay a top-up?", 1.0, {"ask_top_up": 0.9})
    also = SentenceReading("and what should we do now?", 1.0, {"ask_dispute": 0.5})
    d = decide(Reading("...", {"ask_top_up": 0.8}, (story, top_up, also)), Context())
    assert d.topics == ("ask_top_up",)


def test_they_is_the_council_not_the_answer_so_the_general_topic_stays():
    # After refusing services, "can they end my 117 while im still on conditions" asks about
    # ending; only "it", "that", "this" point at the answer given.
    reading = short("can they end my 117 while im still on conditions", ask_ending=0.9,
                    ask_refuse_services=0.05, ask_restart=0.05)
    assert decide(reading, Context(last_topic="ask_refuse_services")).topics == ("ask_ending",)


def test_the_verdict_needs_a_question_about_getting_117():
    # "will it be the same team when she comes out?" leans to eligibility after a story with a
    # section in it, but asks nothing about getting 117: the next topic is answered.
    reading = short("will it be the same team when she comes out?", check_eligibility=0.45,
                    ask_readmission=0.25, ask_how_long=0.15, goodbye=0.15)
    d = decide(reading, Context(last_topic="ask_readmission", knows_sections=True))
    assert d.topics == ("ask_readmission",)
    # the same scores with words about getting it: the verdict
    asks = short("will she still get her aftercare when she comes out?", check_eligibility=0.45,
                 ask_readmission=0.25, ask_how_long=0.15, goodbye=0.15)
    assert decide(asks).topics == ("check_eligibility",)


def test_asking_for_the_verdict_in_two_ways_counts_as_one_question():
    # 0.4 + 0.3 for "does he get it" and "check if he gets it" outrank a topic at 0.45
    reading = short("would he get the 117 aftercare?", check_eligibility=0.4,
                    ask_eligibility=0.3, ask_imca=0.45)
    d = decide(reading)
    assert d.kind == ANSWER and d.topics == ("check_eligibility",)
    assert "ask_eligibility" not in d.offers  # not offered as a second topic either


def test_one_sentence_telling_only_where_someone_has_been_is_noted():
    text = "my brother was moved from prison to hospital on a section 47 and now hes back in prison"
    scores = {"ask_readmission": 0.42, "ask_eligibility": 0.3, "inform": 0.28}
    reading = Reading(text, scores, (SentenceReading(text, 0.0, scores),))
    told = Context(told_facts=True, told_history=True, knows_sections=True)
    assert decide(reading, told).kind == SITUATION
    sure = {"ask_readmission": 0.7, "ask_eligibility": 0.2, "inform": 0.1}
    assert decide(Reading(text, sure, (SentenceReading(text, 0.0, sure),)), told).topics == (
        "ask_readmission",)


def test_a_follow_up_of_fixed_meaning_is_not_a_crisis_on_a_weak_reading():
    reading = short("wat do i say to her then", crisis=0.23, ask_refuse_services=0.21,
                    ask_choice=0.17, tell_role=0.15, ask_how_long=0.12, greet=0.12)
    after = Context(last_topic="ask_end_time_passed")
    assert decide(reading, after).topics == ("ask_end_time_passed",)
    assert decide(reading).topics == ("crisis",)  # with no answer to follow up: the numbers
    plausible = short("wat do i say to her then", crisis=0.5, ask_choice=0.2)
    assert decide(plausible, after).topics == ("crisis",)
