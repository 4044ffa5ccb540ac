"""Every topic answered by a rule is also answered mid-checker (data/rules/eligibility_digressions.yml).

The digression rules were generated once from data/rules/topics.yml and complaints.yml; this
keeps a topic added later from being read as an answer to the checker's question.
"""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def rules(name: str) -> list[dict]:
    return yaml.safe_load((ROOT / "data" / "rules" / name).read_text())["rules"]


def first_intent_and_action(rule: dict) -> tuple[str, str]:
    steps = rule["steps"]
    intent = next(s["intent"] for s in steps if "intent" in s)
    action = next(s["action"] for s in steps if "action" in s)
    return intent, action


def test_every_topic_rule_has_a_digression_rule_with_the_same_answer():
    topics = dict(first_intent_and_action(r) for r in rules("topics.yml"))
    digressions = {}
    for rule in rules("eligibility_digressions.yml"):
        assert rule["condition"] == [{"active_loop": "eligibility_form"}], rule["rule"]
        intent, action = first_intent_and_action(rule)
        digressions[intent] = action
        assert rule["steps"][-2:] == [{"action": "eligibility_form"},
                                      {"active_loop": "eligibility_form"}], rule["rule"]
    missing = {i: a for i, a in topics.items() if digressions.get(i) != a}
    assert missing == {}
