"""A safety net that spots crisis words in typed text, typos included.

The NLU model has a `crisis` intent too, but a statistical model can miss an unusual spelling
or be outvoted by another topic in a long message. The web backend asks this module first and,
on a match, sends the crisis intent itself, so a person at risk always gets the crisis numbers.
A false alarm costs one extra message with phone numbers; a miss could cost far more, so the
threshold leans towards matching.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz

# Short phrases people use (first and third person). Matched fuzzily against the message.
CRISIS_PHRASES: tuple[str, ...] = (
    "want to die", "wanna die", "going to die tonight", "wish i was dead", "wish i were dead",
    "better off dead", "kill myself", "kill himself", "kill herself", "kill themselves",
    "killing myself", "end my life", "end his life", "end her life", "end it all",
    "take my own life", "take his own life", "take her own life", "ending it all",
    "hurt myself", "hurting myself", "harm myself", "harming myself", "self harm",
    "cut myself", "cutting myself", "overdose", "took too many tablets",
    "taken too many tablets", "dont want to be alive", "do not want to be alive",
    "dont want to live", "no reason to live", "not safe right now", "cant go on anymore",
    "cant go on any more", "cant cope anymore",
)

# Single words that signal a crisis on their own, matched word by word so typos still count.
CRISIS_WORDS: tuple[str, ...] = ("suicide", "suicidal", "overdose", "overdosed")
_WORD_THRESHOLD = 75

# Words that look like crisis words to a fuzzy matcher but are not.
_NOT_CRISIS = re.compile(r"\b(diet|dye|died|death certificate)\b")

_THRESHOLD = 88


def _normalise(text: str) -> str:
    text = text.lower().replace("’", "'")
    text = re.sub(r"[^a-z' ]+", " ", text)
    text = text.replace("'", "")
    return re.sub(r"\s+", " ", text).strip()


def looks_like_crisis(text: str) -> bool:
    """True when the text contains a crisis phrase, allowing for small spelling mistakes."""
    clean = _normalise(text)
    if not clean:
        return False
    for word in clean.split():
        if len(word) >= 6 and any(fuzz.ratio(word, w) >= _WORD_THRESHOLD for w in CRISIS_WORDS):
            return True
    for phrase in CRISIS_PHRASES:
        if phrase in clean:
            return True
        # partial_ratio compares the phrase with the best-matching stretch of the message.
        if len(clean) >= len(phrase) - 2 and fuzz.partial_ratio(phrase, clean) >= _THRESHOLD:
            if not _NOT_CRISIS.search(clean):
                return True
    return False
