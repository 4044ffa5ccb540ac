"""Training examples: no copies. A repeated example only adds weight to one phrasing, and one
under two intents teaches the classifier to be unsure."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def labelled_examples(folder: Path) -> list[tuple[str, str]]:
    """(example lowercased, intent); [entity](annotations) kept, so "s.37" and "s37" differ."""
    found = []
    for path in sorted(folder.rglob("*.yml")):
        for item in (yaml.safe_load(path.read_text()) or {}).get("nlu") or []:
            if "intent" in item:
                found += [(normalise(line.strip()[2:]), item["intent"])
                          for line in item["examples"].splitlines()
                          if line.strip().startswith("- ")]
    return found


def normalise(example: str) -> str:
    return " ".join(example.lower().split())


def repeats(examples: list[tuple[str, str]]) -> list[str]:
    return sorted(text for text, n in Counter(text for text, _ in examples).items() if n > 1)


def test_no_training_example_is_repeated_or_under_two_intents():
    examples = labelled_examples(ROOT / "data" / "nlu")
    assert len(examples) > 2000
    assert repeats(examples) == []


def test_the_check_catches_a_repeat_that_differs_only_in_case_and_spaces():
    examples = [(normalise("What is a  CTO"), "define_term"),
                (normalise("what is a cto"), "ask_end_cto_ended"), (normalise("hello"), "greet")]
    assert repeats(examples) == ["what is a cto"]
