"""Readability scores for easy-read text, computed offline.

textstat 0.7.13 (pinned) looks each word up in NLTK's CMU pronouncing dictionary, which it
downloads at run time; these machines have no network, and 0.7.7 (the last release that
shipped the dictionary as a package) fails on words it lacks, such as "117". So the dictionary
look-up is switched off and textstat counts syllables with its own pyphen rules, which is what
it does anyway for every word the dictionary does not know.
"""

from __future__ import annotations

from functools import cache


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
