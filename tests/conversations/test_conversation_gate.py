"""The conversation sets through the whole assistant (scripts/conversation_eval.py): long
messages, multi-turn conversations and held-out short questions, scored by what it answered.
The blind files' figures are printed first and apart. `make conversation-gate` runs the same.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from scripts.conversation_eval import BARS

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "current.tar.gz"


@pytest.mark.model
@pytest.mark.timeout(3000)  # about 2,000 messages through the whole assistant
def test_the_conversation_sets_meet_the_bars():
    if not MODEL.exists():
        pytest.fail("No trained model: run `make train` (make test does it for you)")
    result = subprocess.run(
        [sys.executable, "-m", "scripts.conversation_eval", "--model", str(MODEL),
         "--out", str(ROOT / "results" / "conversations"), *BARS],
        cwd=ROOT, capture_output=True, text=True, timeout=3000)
    print(result.stdout)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
