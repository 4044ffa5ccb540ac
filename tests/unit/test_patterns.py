"""The entity_ruler finds sections and orders however people write them."""

from __future__ import annotations

import pytest

from bot.patterns import all_patterns
from bot.sections import canonical_orders, canonical_sections


@pytest.fixture(scope="module")
def nlp():
    from bot.spacy_pipeline import build_pipeline

    return build_pipeline()


def entities(nlp, text, label):
    return [ent.text for ent in nlp(text).ents if ent.label_ == label]


@pytest.mark.parametrize("text,expected", [
    ("I was on a section 2, can I get 117?", ["2"]),
    ("my son was on a 37/41 and is now conditionally discharged", ["37/41"]),
    ("he was on s.37/41", ["37/41"]),
    ("she is on s37/41", ["37/41"]),
    ("sec.37/41 patient", ["37/41"]),
    ("section 37 / 41", ["37/41"]),
    ("I was on section three", ["3"]),
    ("was on s.37", ["37"]),
    ("s3 then s 3", ["3"]),
    ("I was sectioned under 3", ["3"]),
    ("a 136 by the police", ["136"]),
    ("it was the police one", ["136"]),
    ("section 5(2)", ["5(2)"]),
    ("sec 45a", ["45A"]),
    ("section forty seven", ["47"]),
    ("I was never sectioned", ["none"]),
    ("first a section 2 then a section 3", ["2", "3"]),
])
def test_sections_are_found_and_resolved(nlp, text, expected):
    assert canonical_sections(entities(nlp, text, "section")) == expected


@pytest.mark.parametrize("text,expected", [
    ("I am on a CTO", ["cto"]),
    ("my son is conditionally discharged", ["conditional_discharge"]),
    ("he is under guardianship", ["guardianship"]),
    ("now he's back in prison", ["prison"]),
    ("client is on s17 leave", ["section_17_leave"]),
    ("i stayed on as an informal patient", ["informal"]),
])
def test_orders_are_found_and_resolved(nlp, text, expected):
    assert canonical_orders(entities(nlp, text, "order")) == expected


def test_every_pattern_has_a_label_and_an_id():
    for pattern in all_patterns():
        assert pattern["label"] in ("section", "order") and pattern["id"]
