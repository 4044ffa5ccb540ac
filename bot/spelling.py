"""Misspelt words put right before the NLU reads a message.

A patient typing on a phone writes "how do i ask for a reveiw" or "my socail worker": the
classifiers have never seen "reveiw", so a clear question reads as nothing at all. A word of
five letters or more that the training examples never use is replaced by the one word they use
(at least twice) that is one typo away (a letter added, dropped, changed or two swapped; two
typos for words of nine letters or more), when that word is far more common in English (by
spaCy's word frequencies) than the word typed. So "reveiw" becomes "review", but "nearly" is
not "early", "ineligible" is not "eligible" and "texted" is not "tested": they are real words,
about as common. Nothing is changed when two words are as near, never a word the examples use,
never a capitalised word inside a sentence (a name), and never a place name from the contacts
file ("leeds" is not "needs").

Plain Python, rapidfuzz for the distances.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Iterable

from rapidfuzz import process
from rapidfuzz.distance import OSA

MIN_LENGTH = 5        # shorter words have too many neighbours ("stil", "mite" are left alone)
MIN_COUNT = 2         # a word must be used at least this often to be a correction
LONG_WORD = 9         # from this length, two typos are allowed
# Log probabilities of English words (spaCy's lookups). Words at least this common are real
# words and never corrected; any word not in the table counts as RAREST.
COMMON_ENOUGH = -16.0
RAREST = -20.0
# The correction must be this much more probable than the word typed (e to the 4: about 55
# times as common): "reveiw" (-18.1) -> "review" (-10.2), not "dorchester" (-18.5) ->
# "worcester" (-17.1).
MORE_COMMON_BY = 4.0
_WORD = re.compile(r"[A-Za-z]+")
_SENTENCE_START = re.compile(r"(^|[.!?]\s+|\n\s*)$")


def words_of(texts: Iterable[str]) -> Counter[str]:
    """How often each word (lower case, letters only) is used in `texts`."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(w.lower() for w in _WORD.findall(text or ""))
    return counts


def english_frequencies() -> dict[str, float]:
    """The log probability of every lower-case English word spaCy's lookups know (about
    300,000), from the installed spacy-lookups-data package: nothing is downloaded."""
    import gzip
    import json
    from pathlib import Path

    import spacy_lookups_data

    path = Path(spacy_lookups_data.__file__).parent / "data" / "en_lexeme_prob.json.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        table = json.load(handle)
    return {w: round(p, 2) for w, p in table.items() if w.isascii() and w.isalpha()
            and w.islower()}


class Speller:
    def __init__(self, vocabulary: dict[str, int], frequencies: dict[str, float],
                 protected: Iterable[str] = ()) -> None:
        self.known = set(vocabulary) | {w.lower() for w in protected}
        self.frequencies = frequencies
        self.targets = sorted(w for w, n in vocabulary.items()
                              if n >= MIN_COUNT and len(w) >= MIN_LENGTH - 1)

    def correction(self, word: str) -> str | None:
        """The word meant, or None when `word` is known, short, common, or not clearly one
        word."""
        lower = word.lower()
        typed = self.frequencies.get(lower, RAREST)
        if len(lower) < MIN_LENGTH or lower in self.known or typed >= COMMON_ENOUGH:
            return None
        limit = 2 if len(lower) >= LONG_WORD else 1
        near = process.extract(lower, self.targets, scorer=OSA.distance, score_cutoff=limit,
                               limit=2)
        if not near or (len(near) > 1 and near[1][1] == near[0][1]):
            return None  # nothing near, or two words as near: leave it
        meant = near[0][0]
        if self.frequencies.get(meant, RAREST) - typed < MORE_COMMON_BY:
            return None  # a real word, about as common as the one it is near
        return meant

    def correct(self, text: str) -> str:
        """`text` with each misspelt word replaced, its first letter's case kept."""
        def fix(match: re.Match[str]) -> str:
            word = match.group()
            if word[0].isupper() and not _SENTENCE_START.search(text[:match.start()]):
                return word  # "Dorchester" in the middle of a sentence: a name
            right = self.correction(word)
            if right is None:
                return word
            return right.capitalize() if word[0].isupper() else right

        return _WORD.sub(fix, text)
