"""Readability scores for easy-read text, computed offline.

textstat 0.7.13 (pinned) looks each word up in NLTK's CMU pronouncing dictionary, which it
downloads at run time; these machines have no network, and 0.7.7 (the last release that
shipped the dictionary as a package) fails on words it lacks, such as "117". So the dictionary
look-up is switched off and textstat counts syllables with its own pyphen rules, which is what
it does anyway for every word the dictionary does not know.
"""

from __future__ import annotations

import re
from functools import cache

# The easy-read rules (DESIGN.md): tests/content enforces them, `make readability` reports them.
EASY_MAX_WORDS = 15
DETAIL_MAX_WORDS = 25
MAX_SENTENCES = 3
EASY_MIN_FRE = 80.0
EASY_MAX_GRADE = 4.0
DETAIL_MAX_GRADE = 9.0

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|(?<=[.!?][\"')\]\u201d\u2019])\s+")


def bubbles(text: str) -> list[str]:
    """The chat bubbles of a response: its paragraphs."""
    return [b.strip() for b in text.split("\n\n") if b.strip()]


def sentences(bubble: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(bubble.strip()) if s.strip()]


def words(sentence: str) -> list[str]:
    return [w for w in sentence.split() if re.search(r"[A-Za-z0-9]", w)]


def longest_sentence(text: str) -> int:
    """Words in the longest sentence of `text`, counted as the content rules count them."""
    return max((len(words(s)) for b in bubbles(text) for s in sentences(b)), default=0)


@cache
def _textstat():
    import textstat
    import textstat.backend.counts._count_syllables as count_syllables

    count_syllables.get_cmudict = lambda lang: None  # never download; use pyphen
    return textstat


def scores(text: str) -> tuple[float, float]:
    """(Flesch Reading Ease, Flesch-Kincaid grade) of `text`; paragraphs are joined first."""
    flat = " ".join(part.strip() for part in text.split("\n\n") if part.strip())
    textstat = _textstat()
    return float(textstat.flesch_reading_ease(flat)), float(textstat.flesch_kincaid_grade(flat))
