"""The dialogue layer, run through pytest so `make test` has one runner and one summary.

- `rasa data validate --fail-on-warnings` on the domain, data and config;
- the test stories in this folder with `--fail-on-prediction-errors`;
- NLU on the held-out set (tests/nlu_holdout, never trained on), scored by scripts/nlu_eval.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "current.tar.gz"
RASA = str(Path(sys.executable).parent / "rasa")
ENV = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2",
       "PYTHONPATH": str(ROOT), "ACTION_SERVER_URL": "http://127.0.0.1:5055/webhook",
       "TRACKER_DB": ":memory:", "TRACKER_STORE_URL": "", "LOCK_STORE_URL": ""}


def run(command: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=ROOT, env=ENV, capture_output=True, text=True,
                          timeout=1800)


def needs_model() -> None:
    if not MODEL.exists():
        pytest.fail("No trained model: run `make train` (make test does it for you)")


def test_training_data_and_domain_validate_without_warnings():
    result = run([RASA, "data", "validate", "--fail-on-warnings", "--domain", "domain.yml",
                  "--data", "data", "--config", "config.yml"])
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]


@pytest.mark.model
def test_every_test_story_is_predicted_exactly(tmp_path):
    needs_model()
    stories = sorted(Path(__file__).parent.glob("*.yml"))
    assert stories, "no test stories found"
    out = ROOT / "results" / "core"
    result = run([RASA, "test", "core", "--model", str(MODEL), "--stories",
                  str(Path(__file__).parent), "--fail-on-prediction-errors", "--out", str(out),
                  "--no-plot"])
    failed = out / "failed_test_stories.yml"
    detail = failed.read_text() if failed.exists() else ""
    assert result.returncode == 0, (detail or "") + result.stdout[-3000:] + result.stderr[-3000:]


# The bar: intent macro-F1 >= 0.92 over the held-out set and no intent below 0.80
# (scripts/nlu_eval.py's defaults; `make nlu-gate` runs the same check on its own).
@pytest.mark.model
def test_nlu_on_the_held_out_set_meets_the_bar():
    needs_model()
    holdout = ROOT / "tests" / "nlu_holdout"
    if not any(holdout.glob("*.yml")):
        pytest.fail("tests/nlu_holdout has no held-out examples")
    result = run([sys.executable, "-m", "scripts.nlu_eval", "--model", str(MODEL),
                  "--holdout", str(holdout), "--out", str(ROOT / "results" / "nlu"),
                  "--min-macro", "0.92", "--min-intent", "0.80"])
    print(result.stdout)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
