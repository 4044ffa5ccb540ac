"""benchmarks/profile_turn.py sorts py-spy's samples into groups, each sample once."""

from __future__ import annotations

from benchmarks.profile_turn import groups_of


def test_the_profile_groups_count_each_sample_once_in_its_first_group():
    raw = ("main (rasa/__main__.py:1);validate (jsonschema/validators.py:2) 3\n"
           "main (rasa/__main__.py:1);run (rasa/core/policies/rule_policy.py:3);"
           "call (tensorflow/x.py:4) 2\n"
           "main (rasa/__main__.py:1);poll (asyncio/base_events.py:5) 5\n")
    total, counts = groups_of(raw)
    assert total == 10
    assert counts == {"validating action results (jsonschema)": 3,
                      "dialogue policies (rules, memoization, TED)": 2,
                      "other (Sanic, the event loop, idle)": 5}
