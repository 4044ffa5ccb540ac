"""The few texts the web backend shows itself, when Rasa cannot answer.

Everything else a person reads comes from domain.yml. The crisis numbers here must match the
national contacts (tests/web/test_crisis_copies.py checks them against utter_crisis).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from web.replies import public_custom

DOMAIN = Path(__file__).resolve().parents[1] / "domain.yml"

UNAVAILABLE_TEXT = (
    "Sorry, I cannot answer right now. Please try again in a minute.\n\n"
    "If you need help now, call 999 or go to A&E if you are in danger.\n\n"
    "Call 111 and choose the mental health option (often option 2). "
    "In Wales, call 111 and press 2.\n\n"
    "Call Samaritans free on 116 123, any time. Or text Shout on 85258."
)


def unavailable_message() -> dict[str, Any]:
    crisis = _crisis_response()["custom"]  # the same numbers, so the same sources and date
    return {
        "text": UNAVAILABLE_TEXT,
        "buttons": [],
        "image": "/static/symbols/crisis.svg",
        "custom": public_custom({"kind": "error", "alt": "A phone with a heart",
                                 "sources": crisis["sources"], "checked": crisis["checked"]}),
    }


@lru_cache(maxsize=1)
def _crisis_response() -> dict[str, Any]:
    with DOMAIN.open(encoding="utf-8") as file:
        domain = yaml.load(file, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return domain["responses"]["utter_crisis"][0]


def crisis_message() -> dict[str, Any]:
    """The crisis answer itself (utter_crisis, read from domain.yml: one copy of the text).

    Shown when a message looks like a crisis but Rasa cannot answer, so a person in distress
    reads "You are not alone" and the numbers, not "Sorry, I cannot answer right now".
    """
    response = _crisis_response()
    return {"text": response["text"], "buttons": [], "image": response["image"],
            "custom": public_custom(response["custom"])}
