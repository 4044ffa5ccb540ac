"""The complaints answers in domain.yml: easy read, no phone numbers, pictures and sources."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from bot.readability import scores
import yaml

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text())
EASY = ["utter_complaints", "utter_legal_challenge", "utter_ask_area", "utter_complaints_wales",
        "utter_complaints_contacts", "utter_complaints_contacts_wales",
        "utter_complaints_contacts_unknown"]
DETAIL = ["utter_detail_complaints", "utter_detail_legal_challenge"]
SYMBOLS = {"hello", "question", "stop", "computer", "crisis", "aftercare", "law", "eligible",
           "not-eligible", "depends", "money", "payment", "home", "plan", "meeting", "review",
           "end", "people", "carer", "advocate", "area", "complaint", "wales", "medicine",
           "dictionary", "goodbye", "thanks", "restart"}
# An Ombudsman decision number ("18 006 895c") is not a phone number: a 0 group that follows
# another group of digits is part of one.
PHONE_LIKE = re.compile(r"(?<!\d )\b0\d{2,4}[\s-]?\d{3}|\b116\s?\d{3}\b|\b\d{5}\b|\b999\b|\b111\b")


def test_phone_check_bites_but_spares_decision_numbers():
    assert PHONE_LIKE.search("call 0300 061 0614") and PHONE_LIKE.search("ring 116 123")
    assert not PHONE_LIKE.search("LGSCO decision 18 006 895c (Waltham Forest)")


def variations(names):
    return [(name, v) for name in names for v in DOMAIN["responses"][name]]


def sentences(text):
    return [s for s in re.split(r"(?<=[.?!])\s+", text.replace("\n\n", " ")) if s.strip()]


@pytest.mark.parametrize("name, variation", variations(EASY + DETAIL))
def test_every_complaints_answer_has_a_picture_and_says_where_it_comes_from(name, variation):
    assert re.fullmatch(r"/static/symbols/([a-z-]+)\.svg", variation["image"]).group(1) in SYMBOLS
    custom = variation["custom"]
    assert custom["alt"] and isinstance(custom["sources"], list) and custom["facts"]
    dt.date.fromisoformat(str(custom["checked"]))  # the date it was last checked, any date
    assert custom["kind"] in {"easy", "detail", "contacts"}


@pytest.mark.parametrize("name, variation", variations(EASY + DETAIL))
def test_no_phone_number_is_written_in_a_complaints_answer(name, variation):
    assert not PHONE_LIKE.search(variation["text"]), name


@pytest.mark.parametrize("name, variation", variations(EASY))
def test_easy_read_sentences_are_short_and_bubbles_hold_3_at_most(name, variation):
    for paragraph in variation["text"].split("\n\n"):
        assert len(sentences(paragraph)) <= 3, paragraph
        for sentence in sentences(paragraph):
            assert len(sentence.split()) <= 15, sentence


@pytest.mark.parametrize("name, variation", variations(DETAIL))
def test_detail_sentences_have_25_words_at_most(name, variation):
    for sentence in sentences(variation["text"]):
        assert len(sentence.split()) <= 25, sentence


def test_the_easy_read_complaints_text_scores_as_easy_read():
    fre, grade = scores("\n\n".join(v["text"] for _, v in variations(EASY)))
    assert fre >= 80
    assert grade <= 4


def test_the_words_never_say_ccg_or_health_authority():
    for _, variation in variations(EASY + DETAIL):
        assert not re.search(r"\bCCG\b|Health Authority", variation["text"])
