"""Topic names and the responses that belong to them.

A topic's easy-read answer is `utter_<topic>`; its "More detail" answer is `utter_detail_<topic>`.
The More detail button carries the topic in its payload, so the detail shown always matches the
answer the user was reading. A typed "tell me more" falls back to the last answer given.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Container, Iterable

NO_DETAIL = "utter_no_detail"
_TOPIC_NAME = re.compile(r"^[a-z0-9_]{1,60}$")


def detail_response_name(topic: str | None, responses: Container[str]) -> str:
    """The response holding the detail for `topic`, or NO_DETAIL when there is none."""
    if not topic or not _TOPIC_NAME.match(topic):
        return NO_DETAIL
    name = f"utter_detail_{topic}"
    return name if name in responses else NO_DETAIL


def topic_of_last_answer(utterances_newest_first: Iterable[str],
                         responses: Container[str]) -> str | None:
    """The topic of the most recent easy-read answer that has a More detail answer."""
    for utter in utterances_newest_first:
        if not utter.startswith("utter_") or utter.startswith("utter_detail_"):
            continue
        topic = utter.removeprefix("utter_")
        if detail_response_name(topic, responses) != NO_DETAIL:
            return topic
    return None


def topic_names(responses: Collection[str]) -> list[str]:
    """Topics: every utter_<topic> that has an utter_detail_<topic>, sorted."""
    return sorted(n.removeprefix("utter_detail_") for n in responses
                  if n.startswith("utter_detail_") and f"utter_{n.removeprefix('utter_detail_')}" in responses)
