"""Every response in domain.yml is easy to read, tagged with its source, and safe.

Rules (DESIGN.md "Content rules"): easy-read sentences of 15 words or fewer (25 in More detail
answers); at most 3 sentences a bubble (a bubble is a paragraph split on a blank line); each
topic's easy-read text (all its role variations joined) has Flesch Reading Ease >= 80 and
Flesch-Kincaid grade <= 4; detail answers grade <= 9; no phone number outside utter_crisis, whose
numbers must be in the contacts data; every response has a symbol picture, alt text, public
sources (ids in content/sources.yml; tests/content/test_sources.py), the facts.md entries it was
checked against, and a checked date; "Health Authority" never appears, and "CCG" only as the old name
("Old leaflets may say CCG.").

The scores guide; they do not replace reading each answer aloud as a patient would hear it.
"""

from __future__ import annotations

import pytest

from bot.sources import registry
from tests.content import checks

RESPONSES = checks.load_responses()
VARIATIONS = [(name, i, v) for name, vs in RESPONSES.items() for i, v in enumerate(vs)]
IDS = [f"{name}[{i}]" for name, i, _ in VARIATIONS]
TOPICS = checks.topic_names(RESPONSES)
# Topics a user asks for by name (an ask_<topic> intent): these speak to all three roles and
# offer More detail. Internal answers picked by actions (e.g. eligibility reasons) are excluded.
_INTENTS = set(checks.load_intents())
ASKED_TOPICS = [t for t in TOPICS if f"ask_{t}" in _INTENTS]


@pytest.mark.parametrize(("name", "index", "variation"), VARIATIONS, ids=IDS)
def test_sentences_are_short_and_bubbles_small(name, index, variation):
    assert checks.check_shape(name, variation) == []


@pytest.mark.parametrize(("name", "index", "variation"), VARIATIONS, ids=IDS)
def test_every_response_has_picture_alt_source_and_checked_date(name, index, variation):
    assert checks.check_tags(name, variation, registry()) == []


@pytest.mark.parametrize(("name", "index", "variation"), VARIATIONS, ids=IDS)
def test_no_old_names_and_no_phone_numbers_outside_crisis(name, index, variation):
    assert checks.check_words(name, variation) == []


@pytest.mark.parametrize("topic", TOPICS)
def test_topic_easy_read_scores(topic):
    texts = [v["text"] for v in RESPONSES[f"utter_{topic}"]]
    assert checks.check_readability(f"utter_{topic}", texts, detail=False) == []


@pytest.mark.parametrize("topic", TOPICS)
def test_topic_detail_grade(topic):
    texts = [v["text"] for v in RESPONSES[f"utter_detail_{topic}"]]
    assert checks.check_readability(f"utter_detail_{topic}", texts, detail=True) == []


EASY_OTHERS = sorted(
    name for name, vs in RESPONSES.items()
    if name.startswith(("utter_define_", "utter_role_ack", "utter_goodbye", "utter_thanks",
                        "utter_start_again", "utter_clarify", "utter_welcome", "utter_help"))
)


@pytest.mark.parametrize("name", EASY_OTHERS)
def test_definitions_and_conversation_are_easy_read(name):
    assert checks.check_readability(name, [v["text"] for v in RESPONSES[name]], detail=False) == []


@pytest.mark.parametrize("topic", ASKED_TOPICS)
def test_every_topic_speaks_to_carers_and_advocates(topic):
    roles = {c.get("value") for v in RESPONSES[f"utter_{topic}"] for c in v.get("condition") or []
             if c.get("name") == "role"}
    assert {"carer", "advocate"} <= roles, f"utter_{topic} needs carer and advocate variations"
    plain = [v for v in RESPONSES[f"utter_{topic}"] if not v.get("condition")]
    assert plain, f"utter_{topic} needs a plain variation (last) for patients"


@pytest.mark.parametrize("topic", ASKED_TOPICS)
def test_every_topic_answer_offers_more_detail(topic):
    for variation in RESPONSES[f"utter_{topic}"]:
        payloads = [b.get("payload", "") for b in variation.get("buttons") or []]
        assert any(p.startswith("/more_detail") and f'"{topic}"' in p for p in payloads), topic


def test_crisis_numbers_match_the_national_contacts():
    known = checks.national_numbers(checks.ROOT / "contacts" / "contacts.yml")
    for variation in RESPONSES[checks.CRISIS_RESPONSE]:
        assert checks.check_crisis_numbers(variation["text"], known) == []


# ------------------------------------------------------------------ self-check: the rules bite

BAD = {
    "text": (
        "Your CCG and the Health Authority will absolutely definitely decide everything about your "
        "comprehensive multidisciplinary aftercare arrangements eventually. One. Two. Three.\n\n"
        "Ring 0300 123 4567 today."
    ),
    "image": "/static/symbols/rocket.svg",
    "custom": {"kind": "easy", "alt": "", "sources": ["my_memory"], "facts": "my memory",
               "checked": "last week"},
}


def test_self_check_bad_sample_fails_every_rule():
    shape = checks.check_shape("utter_bad", BAD)
    assert any("words" in p for p in shape) and any("sentences" in p for p in shape)
    tags = checks.check_tags("utter_bad", BAD, registry())
    assert len(tags) == 5  # image, alt, unknown source, no facts trace, checked
    found = checks.check_words("utter_bad", BAD)
    assert any("CCG" in p for p in found) and any("Health Authority" in p for p in found)
    assert any("0300 123 4567" in p for p in found)
    assert len(checks.check_readability("utter_bad", [BAD["text"]], detail=False)) == 2
    hard = "Notwithstanding jurisprudential considerations, multidisciplinary commissioning " * 3
    assert checks.check_readability("utter_detail_bad", [hard + "."], detail=True)


def test_self_check_ccg_only_as_the_old_name():
    old_name = {"text": "Old leaflets may say CCG. CCGs closed on 1 July 2022, and ICBs took over."}
    assert checks.check_words("utter_good", old_name) == []
    for current in ("Ask your CCG for help.", "The CCG pays for it. Old leaflets say so too."):
        assert checks.check_words("utter_bad", {"text": current}), current


def test_self_check_good_sample_passes():
    good = {"text": "No. Your help is free.\n\nAsk your care coordinator.",
            "image": "/static/symbols/money.svg",
            "custom": {"kind": "easy", "alt": "A purse", "sources": [next(iter(registry()))],
                       "facts": "F4.1", "checked": "2026-11-25"}}
    assert checks.check_shape("utter_good", good) == []
    assert checks.check_tags("utter_good", good, registry()) == []
    assert checks.check_words("utter_good", good) == []
    assert checks.check_readability("utter_good", [good["text"]], detail=False) == []


def test_self_check_case_numbers_are_not_phone_numbers_but_crisis_numbers_are_checked():
    assert checks.PHONE.findall("LGSCO Lewisham 18 010 781b and [2023] UKSC 31") == []
    assert checks.check_crisis_numbers("Call 999 or 111. Samaritans 116 123. Shout 85258.",
                                       checks.CRISIS_NUMBERS_FROM_FACTS) == []
    assert checks.check_crisis_numbers("Call 998.", checks.CRISIS_NUMBERS_FROM_FACTS)
