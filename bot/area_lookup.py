"""Finds the area someone means in what they typed: a postcode district, a council or place name
(typos and informal names allowed), or just the country.

Every name comes from the contacts file (bot.contacts): nothing here knows a place.
Order: a postcode district listed in the file, then an area name, then a country name.
Names are compared with rapidfuzz on the words of the message, after dropping words that every
council shares ("county", "council"...), so "my county council" never matches "Kent County
Council". Short names (under 6 letters, such as "IOW" or "Kent") must match exactly; longer ones
may have a typo ("isle of white", "maidston").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.contacts_model import Directory

GENERIC_WORDS = frozenset({"the", "county", "council", "city", "borough", "district", "cc",
                           "uk", "area", "my", "in", "live", "i", "im", "at"})
MAX_WORDS = 5
_POSTCODE = re.compile(r"\b([A-Z]{1,2}[0-9][A-Z0-9]?)(?:\s*[0-9][A-Z]{2})?\b")


@dataclass(frozen=True)
class AreaMatch:
    kind: str      # "area" (key is an area id) or "country" (key is England or Wales)
    key: str
    matched: str   # the postcode district or the name that matched
    score: float


def normalise(text: str) -> str:
    """Lower case, letters and digits, generic words dropped: "Kent County Council" -> "kent"."""
    words = re.sub(r"[^a-z0-9]+", " ", text.lower().replace("'s ", " ")).split()
    kept = [w for w in words if w not in GENERIC_WORDS]
    return " ".join(kept)


def _cutoff(name: str) -> float:
    """How close a typed phrase must be to a name: exact for short names."""
    if len(name) < 6:
        return 100.0
    return 85.0 if len(name) < 8 else 80.0


def _names(directory: Directory) -> dict[str, AreaMatch]:
    names: dict[str, AreaMatch] = {}
    for country, country_names in directory.country_names.items():
        for name in country_names:
            names[normalise(name)] = AreaMatch("country", country, name, 0.0)
    for area in directory.areas.values():
        for name in (area.council, area.id.replace("-", " "), *area.names):
            if normalise(name):
                names[normalise(name)] = AreaMatch("area", area.id, name, 0.0)
    return names


def _phrases(text: str) -> list[str]:
    words = normalise(text).split()
    return [" ".join(words[i:i + n]) for n in range(1, MAX_WORDS + 1)
            for i in range(len(words) - n + 1)]


def find_postcode(text: str, directory: Directory) -> AreaMatch | None:
    districts = directory.postcode_map()
    for district in _POSTCODE.findall(text.upper()):
        if district in districts:
            return AreaMatch("area", districts[district], district, 100.0)
    return None


def find_area(text: str | None, directory: Directory) -> AreaMatch | None:
    """The area (or else the country) named in `text`, or None."""
    if not text:
        return None
    by_postcode = find_postcode(text, directory)
    if by_postcode:
        return by_postcode
    names = _names(directory)
    best: AreaMatch | None = None
    for phrase in _phrases(text):
        hit = process.extractOne(phrase, list(names), scorer=fuzz.ratio, score_cutoff=80.0)
        if hit is None:
            continue
        name, score, _ = hit
        if score < _cutoff(name) or len(phrase) < 4 and score < 100:
            continue
        candidate = AreaMatch(names[name].kind, names[name].key, names[name].matched, score)
        if best is None or _rank(candidate, name) > _rank(best, normalise(best.matched)):
            best = candidate
    return best


def _rank(match: AreaMatch, name: str) -> tuple[int, float, int]:
    # A council or place beats a country ("Newport, Wales" aside, which is not in the file).
    return (1 if match.kind == "area" else 0, match.score, len(name))
