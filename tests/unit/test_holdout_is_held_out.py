"""The held-out NLU set must stay unseen: no training example may copy or nearly copy one.

Otherwise the F1 gate in tests/dialogue would measure memory, not understanding.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process

ROOT = Path(__file__).resolve().parents[2]
NEAR_COPY = 90  # rapidfuzz ratio; "wat is 117" vs "wot is 117" is 90


def normalise(example: str) -> str:
    example = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", example)  # [text](entity) -> text
    return re.sub(r"[^a-z0-9 ]", "", example.lower()).strip()


def intent_examples(folder: Path) -> list[str]:
    examples = []
    for path in sorted(folder.rglob("*.yml")):
        for item in (yaml.safe_load(path.read_text()) or {}).get("nlu") or []:
            if "intent" in item:  # lookup tables and synonyms are entity data, not examples
                examples += [normalise(line.strip()[2:]) for line in item["examples"].splitlines()
                             if line.strip().startswith("- ")]
    return examples


def near_copies(training: list[str], held_out: list[str]) -> list[tuple[str, str, float]]:
    found = []
    for example in held_out:
        match = process.extractOne(example, training, scorer=fuzz.ratio, score_cutoff=NEAR_COPY)
        if match:
            found.append((example, match[0], match[1]))
    return found


def test_no_training_example_copies_a_held_out_one():
    held_out = intent_examples(ROOT / "tests" / "nlu_holdout")
    assert len(held_out) >= 500
    assert near_copies(intent_examples(ROOT / "data" / "nlu"), held_out) == []


def test_the_check_catches_a_copy_with_different_punctuation():
    assert near_copies(["i live in wales is 117 the same here"],
                       [normalise("I live in Wales, is 117 the same here?")])
