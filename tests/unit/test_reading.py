"""bot.reading: a long message split into sentences, and which of them ask something."""

from __future__ import annotations

from bot.reading import CONCERN, asks_score, sentences


def test_a_story_splits_into_its_sentences_and_keeps_abbreviations_and_money_whole():
    text = ("Hi. My mum was sectioned under s.3 last year and is now in a care home. "
            "The council says she must pay £180.50 a week. I thought 117 was free?? Is that right")
    parts = sentences(text)
    assert [p.text for p in parts] == [
        "Hi. My mum was sectioned under s.3 last year and is now in a care home.",
        "The council says she must pay £180.50 a week.",
        "I thought 117 was free??",
        "Is that right"]
    assert all(text[p.start:p.end] == p.text for p in parts)


def test_line_breaks_end_sentences_and_a_short_message_is_one_sentence():
    assert [p.text for p in sentences("my son is on a cto\ncan he get 117")] == [
        "my son is on a cto", "can he get 117"]
    assert [p.text for p in sentences("can he get it")] == ["can he get it"]
    assert sentences("   ") == []


def test_questions_explicit_and_implied_ask_and_statements_do_not():
    assert asks_score("Is that right?") == 1.0
    assert asks_score("can she get it") == 0.8
    assert asks_score("they want her to pay out of her pension") == 0.8
    assert asks_score("Surely that is not allowed.") == 0.8
    assert asks_score("I would like to know where we stand.") == 0.8
    assert asks_score("no more cpn visits, my gp looks after me now, do i still have 117") == 0.8
    assert asks_score("wen will i get my aftercare") == 0.8
    assert asks_score("i was on a cto what now") == 0.8
    assert asks_score("the council sent me a bill for my suport worker is that alowed") == 0.8
    assert asks_score("He was on a section 3 in 2019.") == 0.0
    assert asks_score("My husband was living in one borough when he got sectioned.") == 0.0
    assert asks_score("She lives in a care home in Kent.") == 0.0


def test_relative_clauses_exclamations_and_what_did_not_happen_ask_nothing():
    assert asks_score("He's sleeping a lot but he's eating again, which is a start.") == 0.0
    assert asks_score("The council haven't asked him to pay anything.") == 0.0
    assert asks_score("cant beleive this.") == 0.0
    assert asks_score("can't they just do that") == 0.8
    assert asks_score("They've told me my 117 ends after 12 months.") == 0.8
    assert asks_score("my gp looks after me now, which team do i ring") == 0.8


def test_a_story_sentence_that_asks_two_things_is_read_as_two_questions():
    text = ("He got a letter. If he's already paid the first bill can he get it back, "
            "and who would I complain to?")
    parts = sentences(text)
    assert [p.text for p in parts] == ["He got a letter.",
                                       "If he's already paid the first bill can he get it back",
                                       "who would I complain to?"]
    assert [p.asks for p in parts] == [0.0, 1.0, 1.0]
    assert all(text[p.start:p.end] == p.text for p in parts)
    # A one-sentence message stays whole, and short clauses stay joined.
    assert len(sentences("my gp looks after me now, do i still have 117")) == 1
    assert len(sentences("Mum is in a home. Is it free and why?")) == 2
    assert [p.text for p in sentences("She pays £150 a week. Is that right, and can we get it back?")][1:] == [
        "Is that right", "can we get it back?"]


def test_a_concern_told_as_a_statement_asks_less_than_a_question():
    for concern in ("honestly i dont want the support worker coming round anymore",
                    "She's being told to claim housing benefit and pay rent for it.",
                    "The ICB has written proposing to end his s117 because he is stable.",
                    "they want to send me to a placement 50 miles away from my kids.",
                    "I was told that it ended."):
        assert asks_score(concern) == CONCERN, concern
    for statement in ("We've been told he gets 117.", "Mum has been in a care home for years.",
                      "They haven't told me to pay anything.", "I don't want to complain."):
        assert asks_score(statement) == 0.0, statement
    assert asks_score("They want to move him, can they do that?") == 1.0
    assert asks_score("i just want to know if my 117 can come back after they stopped it") == 0.8


def test_questions_after_a_first_word_a_wish_and_what_others_say_is_owed():
    assert asks_score("ok. can my brothers 117 stop because his CTO has ended") == 0.8
    assert asks_score("my client was detained under s.37 without restrictions, is s117 engaged") == 0.8
    assert asks_score("i been sectioned under 3 again wat happens to my aftacare") == 0.8
    assert asks_score("I'm in a care home on 117 and I want my own flat") == CONCERN
    assert asks_score("my mate reckons i get the 117 stuff now im home") == CONCERN
    for statement in ("no. he was on a 3", "thanks, that helps",
                      "She wants her own room painted blue.", "We've been told he gets 117."):
        assert asks_score(statement) == 0.0, statement
