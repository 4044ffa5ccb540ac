"""The conversation evaluation sets (tests/conversations) are well formed, big enough, a third
blind, and never copied into the training data.

Labels and fact values must be the ones in tests/conversations/README.md, so a typo in a set
cannot silently score as a miss (or a hit)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.unit.test_holdout_is_held_out import intent_examples, near_copies, normalise

ROOT = Path(__file__).resolve().parents[2]
SETS = ROOT / "tests" / "conversations"
TOPICS = {
    "what_is_117", "services", "when_starts", "charging", "refund", "physical_needs",
    "medication", "chc", "direct_payments", "phb", "housing", "top_up", "choice", "move_on",
    "care_plan", "meeting", "reviews", "how_long", "ending", "end_time_passed",
    "end_gp_discharge", "readmission", "end_cto_ended", "end_dols", "refuse_services",
    "restart", "carer", "nearest_relative", "care_coordinator", "advocacy", "imca",
    "social_services", "icb", "who_pays", "dispute", "moving_house", "worcestershire", "wales",
    "children", "immigration", "eligibility", "eligibility_verdict", "check_eligibility",
    "complaints", "legal_challenge", "define_term", "situation_noted", "crisis", "role_ack",
    "greet", "help", "thanks", "goodbye", "bot_challenge", "out_of_scope", "clarify",
    "more_detail"}
FACTS = {
    "role": {"patient", "carer", "advocate"},
    "place": {"hospital", "leave", "home", "care_home", "supported_living", "prison"},
    "area": {"kent", "isle-of-wight"},
    "country": {"England", "Wales"},
}
SECTIONS = {"2", "3", "37", "37/41", "45A", "47", "47/49", "48", "48/49", "136", "135", "5(2)",
            "35", "36", "38"}
VERDICTS = {"eligible", "not_eligible", "not_yet", "depends"}


def load(pattern: str, key: str) -> dict[str, list[dict]]:
    return {p.name: yaml.safe_load(p.read_text())[key] for p in sorted(SETS.glob(pattern))}


LONG = load("*long_messages*.yml", "messages")
CONVERSATIONS = load("*conversations*.yml", "conversations")


def bad_facts(facts: dict) -> list[str]:
    bad = [f"{k}={v}" for k, v in facts.items() if k in FACTS and v not in FACTS[k]]
    bad += [f"section {s}" for s in facts.get("sections") or [] if s not in SECTIONS]
    bad += [k for k in facts if k not in (*FACTS, "sections", "orders", "events")]
    return bad


def test_there_are_enough_and_a_third_are_blind():
    longs = {name: len(items) for name, items in LONG.items()}
    convs = {name: len(items) for name, items in CONVERSATIONS.items()}
    assert sum(longs.values()) >= 250 and sum(convs.values()) >= 80
    for counts in (longs, convs):
        blind = sum(n for name, n in counts.items() if name.startswith("blind_"))
        assert blind >= sum(counts.values()) / 3


@pytest.mark.parametrize("name", sorted(LONG))
def test_long_messages_are_well_formed(name):
    items = LONG[name]
    assert len({m["id"] for m in items}) == len(items)
    problems = []
    for m in items:
        labels = list(m["main"]) + [a for item in m.get("also") or []
                                    for a in (item if isinstance(item, list) else [item])]
        problems += [f"{m['id']}: {label}" for label in labels if label not in TOPICS]
        problems += [f"{m['id']}: {b}" for b in bad_facts(m.get("facts") or {})]
        if len(m["text"]) > 1000:
            problems.append(f"{m['id']}: longer than the 1,000 characters the page takes")
    assert problems == []


@pytest.mark.parametrize("name", sorted(CONVERSATIONS))
def test_conversations_are_well_formed(name):
    items = CONVERSATIONS[name]
    assert len({c["id"] for c in items}) == len(items)
    problems = []
    for c in items:
        assert len(c["turns"]) >= 2, c["id"]
        for turn in c["turns"]:
            problems += [f"{c['id']}: {label}" for label in turn["expect"] if label not in TOPICS]
            problems += [f"{c['id']}: {b}" for b in bad_facts(turn.get("facts") or {})]
            if turn.get("verdict") and turn["verdict"] not in VERDICTS:
                problems.append(f"{c['id']}: verdict {turn['verdict']}")
    assert problems == []


def test_no_training_example_copies_a_message_of_the_sets():
    # A few-word follow-up ("who do I complain to") may well match a training question word
    # for word, as any short question does; a story or a longer turn must not.
    texts = [normalise(m["text"]) for items in LONG.values() for m in items]
    texts += [normalise(t["user"]) for items in CONVERSATIONS.values() for c in items
              for t in c["turns"] if len(t["user"].split()) >= 8]
    assert near_copies(intent_examples(ROOT / "data" / "nlu"), texts) == []
