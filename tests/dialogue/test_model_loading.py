"""rasa_extensions/model_loading.py builds DIET's weights eagerly at load (issue 15): the loaded
model must score every message exactly as a model loaded by Rasa's own code."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "current.tar.gz"
TEXTS = ["what is section 117", "do i have to pay for my care home",
         "My mum was on a section 3. The council now wants her to pay. Is that right?",
         "wat if they say no", "hello"]


def _scores(load_patched: bool) -> list[list[tuple[str, float]]]:
    from rasa.core.agent import Agent
    from rasa_extensions import model_loading

    (model_loading.install if load_patched else model_loading.uninstall)()
    try:
        agent = Agent.load(str(MODEL))
        parsed = [asyncio.run(agent.parse_message(text)) for text in TEXTS]
    finally:
        model_loading.uninstall()
    return [[(r["name"], r["confidence"]) for r in p["intent_ranking"]] for p in parsed]


@pytest.mark.model
def test_the_eagerly_built_model_scores_as_rasas_own_load_does():
    if not MODEL.exists():
        pytest.fail("No trained model: run `make train` (make test does it for you)")
    rasas, ours = _scores(load_patched=False), _scores(load_patched=True)
    for theirs, mine in zip(rasas, ours):
        assert [name for name, _ in mine] == [name for name, _ in theirs]
        assert [score for _, score in mine] == pytest.approx([s for _, s in theirs], abs=1e-6)
    assert len(rasas) == len(TEXTS) and all(rasas)
