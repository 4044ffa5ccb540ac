"""The few texts the web backend shows itself, when Rasa cannot answer.

Everything else a person reads comes from domain.yml. The crisis numbers here must match the
national contacts (tests/web/test_crisis_copies.py checks them against utter_crisis).
"""

from __future__ import annotations

from typing import Any

UNAVAILABLE_TEXT = (
    "Sorry, I cannot answer right now. Please try again in a minute.\n\n"
    "If you need help now, call 999 or go to A&E if you are in danger.\n\n"
    "Call 111 and choose the mental health option (often option 2). "
    "In Wales, call 111 and press 2.\n\n"
    "Call Samaritans free on 116 123, any time. Or text Shout on 85258."
)


def unavailable_message() -> dict[str, Any]:
    return {
        "text": UNAVAILABLE_TEXT,
        "buttons": [],
        "image": "/static/symbols/crisis.svg",
        "custom": {"kind": "error", "alt": "A phone with a heart",
                   "source": "facts.md section 3 (national contacts)", "checked": "2026-11-30"},
    }
