"""Turns what people write about their section into canonical values for bot.eligibility.

Entity text from the spaCy entity_ruler ("section three", "s.37/41", "the police one") and
typed form answers ("I don't know", "long unescorted leave", "back home") all come here.
Plain Python; no engine imports.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

UNKNOWN = "unknown"
NONE = "none"  # never sectioned: in hospital by choice only

# Detention sections the checker knows, plus a few numbers people mention that are not detentions.
KNOWN = {"2", "3", "4", "5", "5(2)", "5(4)", "17", "35", "36", "37", "37/41", "38", "41", "45A",
         "47", "47/49", "48", "48/49", "49", "117", "135", "136"}
NOT_DETENTIONS = {"17", "41", "49", "117"}  # leave, restriction add-ons, aftercare itself

_WORDS = {
    "one hundred and thirty six": "136", "one three six": "136",
    "one hundred and thirty five": "135", "one three five": "135", "one one seven": "117",
    "thirty five": "35", "thirty six": "36",
    "thirty seven": "37", "thirty eight": "38", "forty one": "41", "forty five": "45",
    "forty seven": "47", "forty eight": "48", "forty nine": "49", "seventeen": "17",
    "two": "2", "three": "3", "four": "4", "five": "5",
}
_DONT_KNOW = re.compile(
    r"\b(d[o']?n'?t know|do not know|dunno|idk|not sure|unsure|no idea|can'?t remember|"
    r"cannot remember|forg[oe]t|no clue|don'?t remember)\b")
_NEVER = re.compile(
    r"\b(not|never|wasn'?t|weren'?t|no)\s+(been\s+)?(sectioned|section|detained)\b|"
    r"\b(voluntar\w*|informal\w*|by choice)\b")
_POLICE = re.compile(r"\bpolice\b|place of safety")
_NUMBER = re.compile(r"(?<![\d£])(?<!\d[.,])(\d{1,3})(a(?![a-z]))?"  # 3, 45a
                     r"\s*(?:\(\s*([24])\s*\)|\s*/\s*(41|49))?(?![\d%])")  # 5(2), 37/41
_NOT_A_SECTION_AFTER = re.compile(r"^\s*(weeks?|days?|months?|years?|yrs?|hours?|times?|am|pm|"
                                  r"nights?|mins?|minutes?|%|pounds?)\b")


def _normalise(text: str) -> str:
    text = text.lower().replace("\u2019", "'").replace("-", " ")
    text = re.sub(r"\s+", " ", text)
    for words, digits in _WORDS.items():  # longest phrases first (dict order above)
        text = re.sub(rf"\b{words}\b", digits, text)
    text = re.sub(r"\b45\s+a\b", "45a", text)  # "45 a" -> "45a"
    return text


def sections_in(text: str) -> list[str]:
    """All canonical sections named in `text`, in the order written ("2 then 3" -> ["2", "3"])."""
    return _combine(_raw_sections(text))


def _raw_sections(text: str) -> list[str]:
    norm = _normalise(text)
    found: list[str] = []
    for match in _NUMBER.finditer(norm):
        number, letter, sub, extra = match.groups()
        if _NOT_A_SECTION_AFTER.match(norm[match.end():]):
            continue
        value = number + ("A" if letter else "")
        if sub:
            value = f"{number}({sub})"
        elif extra:
            value = f"{number}/{extra}"
        if value in KNOWN:
            found.append(value)
    if not found and _POLICE.search(norm):
        found.append("136")
    return found


def _combine(values: list[str]) -> list[str]:
    """Joins add-ons to their section ("37" + "41" -> "37/41") and removes repeats."""
    out: list[str] = []
    for value in values:
        if value in ("41", "49") and any(v in ("37", "47", "48") for v in out):
            base = {"41": ["37"], "49": ["47", "48"]}[value]
            for i, earlier in enumerate(out):
                if earlier in base:
                    out[i] = f"{earlier}/{value}"
                    break
            continue
        if value not in out:
            out.append(value)
    return out


def canonical_sections(texts: Iterable[str] | str | None) -> list[str]:
    """Canonical detention sections from entity texts or a typed answer.

    Returns [] when nothing is recognised, ["unknown"] for "I don't know" and ["none"] for
    "I was never sectioned". Numbers that are not detentions (17, 117) are dropped.
    """
    if texts is None:
        return []
    if isinstance(texts, str):
        texts = [texts]
    found: list[str] = []
    special: list[str] = []
    for text in texts:
        if not isinstance(text, str):
            continue
        if text.strip().lower() in (UNKNOWN, NONE):  # already canonical (a slot value)
            special.append(text.strip().lower())
            continue
        sections = _raw_sections(text)
        found.extend(sections)
        if not sections:
            norm = _normalise(text)
            if _DONT_KNOW.search(norm):
                special.append(UNKNOWN)
            elif _NEVER.search(norm):
                special.append(NONE)
    detentions = [s for s in _combine(found) if s not in NOT_DETENTIONS]
    if detentions:
        return detentions
    return special[:1]


ORDER_WORDS = [  # checked in this order: "conditionally discharged" before "discharged"
    ("cto", re.compile(r"\bc\.?t\.?o\b|community treatment|\b17a\b")),
    ("conditional_discharge", re.compile(r"conditional(ly)? discharge")),
    ("guardianship", re.compile(r"guardian")),
    ("prison", re.compile(r"prison|jail|gaol")),
    ("section_17_leave", re.compile(r"\bleave\b|\b(section|s\.?|sec) ?17\b(?!a)")),
    ("informal", re.compile(r"informal|voluntar|by choice")),
]


def canonical_orders(texts: Iterable[str] | str | None) -> list[str]:
    """Canonical orders / situations from entity texts: cto, conditional_discharge, ..."""
    if texts is None:
        return []
    if isinstance(texts, str):
        texts = [texts]
    found: list[str] = []
    for text in texts:
        if not isinstance(text, str):
            continue
        norm = _normalise(text)
        for name, pattern in ORDER_WORDS:
            if pattern.search(norm) and name not in found:
                found.append(name)
                break
    return found


STATUSES = ("detained", "informal", "leave", "left", "cto", "conditional_discharge", "prison",
            "guardianship", UNKNOWN)
_STATUS_WORDS = [
    (UNKNOWN, _DONT_KNOW),
    ("cto", ORDER_WORDS[0][1]),
    ("conditional_discharge", ORDER_WORDS[1][1]),
    ("guardianship", ORDER_WORDS[2][1]),
    ("prison", ORDER_WORDS[3][1]),
    ("leave", ORDER_WORDS[4][1]),
    ("informal", re.compile(r"informal|voluntar|by choice|off (the|my) section|section "
                            r"(ended|was lifted|lifted)|stayed on")),
    ("detained", re.compile(r"still (in|on|detained|sectioned|there)|on the ward|detained|"
                            r"in hospital|inpatient|on (a|the|my) section")),
    ("left", re.compile(r"\bleft\b|\bhome\b|discharged|\bout\b|community|moved|living|"
                        r"flat|house|care home|supported|\bgone\b")),
]


def canonical_status(text: str | None) -> str | None:
    """Where the person is now, from a typed answer or a button value."""
    if not text:
        return None
    norm = _normalise(text).strip()
    if norm in STATUSES:
        return norm
    for name, pattern in _STATUS_WORDS:
        if pattern.search(norm):
            return name
    return None


LEAVES = ("short", "long", UNKNOWN)


def canonical_leave(text: str | None) -> str | None:
    """Section 17 leave: "short" (short or escorted) or "long" (long, unescorted, open-ended)."""
    if not text:
        return None
    norm = _normalise(text).strip()
    if norm in LEAVES:
        return norm
    if _DONT_KNOW.search(norm):
        return UNKNOWN
    if re.search(r"unescorted|without staff|on my own|alone|by (my|him|her|them)sel|open|"
                 r"long|trial|overnight|weeks|months|placement|care home|nights", norm):
        return "long"
    if re.search(r"escorted|with (a )?(staff|nurse)|short|hour|day|walk|few", norm):
        return "short"
    return None


READMITS = ("no", "informal", "section_2", "qualifying", "other", UNKNOWN)
QUALIFYING = {"3", "37", "37/41", "45A", "47", "47/49", "48", "48/49"}


def canonical_readmit(text: str | None) -> str | None:
    """Back in hospital since leaving? no, informal, section_2, qualifying, other, unknown."""
    if not text:
        return None
    norm = _normalise(text).strip()
    if norm in READMITS:
        return norm
    sections = [s for s in sections_in(norm) if s not in NOT_DETENTIONS]
    if any(s in QUALIFYING for s in sections):
        return "qualifying"
    if "2" in sections:
        return "section_2"
    if sections:
        return "other"
    if _DONT_KNOW.search(norm):
        return UNKNOWN
    if re.search(r"informal|voluntar|by choice", norm):
        return "informal"
    no_words = r"(no|nope|not? (yet|since)|never|i haven'?t|haven'?t|no i haven'?t)\W*"
    not_back = r"\b(not been back|haven'?t been back|never been back|no not)\b"
    if re.fullmatch(no_words, norm) or re.search(not_back, norm):
        return "no"
    return None
