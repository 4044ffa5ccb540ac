"""The crisis lines the web backend and the widget show themselves say what utter_crisis says.

utter_crisis (domain.yml) is the crisis answer. Copies of its number lines live where Rasa cannot
answer: the backend's "cannot answer right now" message (web/messages.py), the widget's own
failure message (web/static/chat.js) and the "Need help now?" panel (web/static/index.html).
facts.md section 3 gives the wording: "Call 111 and choose the mental health option (often
option 2)." Every copy must keep the crisis answer's 111 and Samaritans lines word for word.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
import yaml

from web.messages import UNAVAILABLE_TEXT

ROOT = Path(__file__).resolve().parents[2]


def crisis_bubbles() -> list[str]:
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    text = domain["responses"]["utter_crisis"][0]["text"]
    return [b.strip() for b in text.split("\n\n") if b.strip()]


def line_with(number: str) -> str:
    return next(b for b in crisis_bubbles() if number in b)


def page_text(path: str) -> str:
    raw = (ROOT / path).read_text(encoding="utf-8")
    return html.unescape(re.sub(r"<[^>]+>", "", raw))


def test_the_crisis_answer_uses_the_facts_md_wording_for_111():
    assert line_with("111") == ("Call 111 and choose the mental health option (often option 2). "
                                "In Wales, call 111 and press 2.")


@pytest.mark.parametrize("copy", ["messages.py", "chat.js", "index.html"])
def test_every_copy_has_the_same_111_line(copy):
    text = {"messages.py": UNAVAILABLE_TEXT,
            "chat.js": (ROOT / "web/static/chat.js").read_text(encoding="utf-8"),
            "index.html": page_text("web/static/index.html")}[copy]
    assert line_with("111") in text


@pytest.mark.parametrize("copy", ["messages.py", "chat.js"])
def test_every_message_copy_has_the_same_samaritans_and_shout_line(copy):
    text = {"messages.py": UNAVAILABLE_TEXT,
            "chat.js": (ROOT / "web/static/chat.js").read_text(encoding="utf-8")}[copy]
    assert line_with("116 123") in text
