"""The responses of unsure answers, and the topic menu their buttons come from.

action_answer (bot/understanding.py decides) asks "Did you mean" with the likeliest topics as
buttons, or says "I am not sure". Button titles come from the domain's `utter_topics` menu, so
all user-facing text stays in domain.yml. The fixed choices ("Something else", "Need help now")
follow in a second message, utter_clarify_other, so that the topics are the first buttons a
person (or a screen reader) meets after "Did you mean".
"""

from __future__ import annotations

from typing import Any

MENU = "utter_topics"
ASK = "utter_clarify"
OTHER = "utter_clarify_other"
NOT_SURE = "utter_fallback"


def _buttons_of(response_name: str, responses: dict[str, Any]) -> list[dict[str, str]]:
    variations = responses.get(response_name) or [{}]
    return list(variations[0].get("buttons") or [])
