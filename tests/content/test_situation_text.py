"""The situation summary ("Thank you. I have noted this: ...") is made from the facts, so
every combination is checked here by the same easy-read rules as the domain's answers."""

from __future__ import annotations

import itertools

from bot.readability import EASY_MAX_WORDS, MAX_SENTENCES, bubbles, longest_sentence, \
    scores, sentences
from bot.situation import EVENTS, PLACES, Situation
from bot.situation_text import summary

ROLES = (None, "patient", "carer", "advocate")
SECTIONS = ((), ("3",), ("2", "3"), ("37/41",))
ORDERS = ((), ("cto",), ("conditional_discharge",))


def every_situation():
    for role, sections, orders, place, country in itertools.product(
            ROLES, SECTIONS, ORDERS, (None, *PLACES), (None, "England", "Wales")):
        yield Situation(role=role, sections=sections, orders=orders, place=place,
                        country=country, events=EVENTS[:2])


def test_every_summary_has_short_sentences_in_the_persons_point_of_view():
    for situation in every_situation():
        text = summary(situation)
        assert longest_sentence(text) <= EASY_MAX_WORDS, text
        assert all(len(sentences(b)) <= MAX_SENTENCES for b in bubbles(text)), text
        if situation.role == "carer":
            assert "You were on" not in text and "You are in" not in text, text


def test_the_summaries_read_easily():
    texts = [summary(s) for s in every_situation() if summary(s)]
    ease, grade = scores(" ".join(texts[:200]))
    assert ease >= 80 and grade <= 4, (ease, grade)
