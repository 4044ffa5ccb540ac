"""Entity patterns for the rule-based spaCy pipeline.

People write Mental Health Act sections many ways ("s.3", "section three", "sec 37/41", "45a").
These patterns let spaCy's entity_ruler tag them without a statistical model (none can be
downloaded here). The canonical value of each match is resolved later by bot.sections.
"""

from __future__ import annotations

# Canonical section -> extra spellings of the bare number (besides the digits themselves).
SECTION_WORDS: dict[str, list[str]] = {
    "2": ["two"],
    "3": ["three"],
    "4": ["four"],
    "5": ["five"],
    "17": ["seventeen"],
    "35": ["thirty five", "thirty-five"],
    "36": ["thirty six", "thirty-six"],
    "37": ["thirty seven", "thirty-seven"],
    "38": ["thirty eight", "thirty-eight"],
    "41": [],
    "45a": ["45 a"],
    "47": ["forty seven", "forty-seven"],
    "48": ["forty eight", "forty-eight"],
    "49": [],
    "117": ["one one seven", "one-one-seven"],
    "135": [],
    "136": [],
}

# Combined orders people write with a slash or a space.
COMBINED_SECTIONS = ["37/41", "47/49", "48/49", "5(2)", "5(4)"]

SECTION_PREFIXES = ["section", "sectioned", "sec", "sect", "s", "s.", "s117"]

ORDERS: dict[str, list[str]] = {
    "cto": ["cto", "c.t.o", "c.t.o.", "community treatment order", "community treatment orders",
            "s17a", "section 17a"],
    "guardianship": ["guardianship", "guardianship order", "under guardianship"],
    "conditional_discharge": ["conditional discharge", "conditionally discharged"],
    "section_17_leave": ["section 17 leave", "s17 leave", "s.17 leave", "leave of absence",
                         "section seventeen leave", "sec 17 leave"],
    "informal": ["informal patient", "voluntary patient", "informally", "voluntarily"],
    "prison": ["back in prison", "back to prison", "returned to prison", "sent back to prison",
               "back in jail"],
}


def _phrase_pattern(text: str) -> list[dict]:
    """A token pattern matching the words of `text`, ignoring case."""
    return [{"LOWER": word} for word in text.lower().split()]


def section_patterns() -> list[dict]:
    patterns: list[dict] = []
    for canonical, words in SECTION_WORDS.items():
        spellings = [canonical] + words
        for spelling in spellings:
            for prefix in ["section", "sec", "sect", "s", "s."]:
                patterns.append(
                    {"label": "section", "pattern": _phrase_pattern(f"{prefix} {spelling}"),
                     "id": canonical}
                )
        # Joined forms such as "s3", "s.37", "sec45a".
        for prefix in ["s", "s.", "sec", "sec.", "section"]:
            patterns.append({"label": "section", "pattern": [{"LOWER": f"{prefix}{canonical}"}],
                             "id": canonical})
    for combined in COMBINED_SECTIONS:
        patterns.append({"label": "section", "pattern": combined, "id": combined})
        for prefix in ["section", "s", "s.", "sec"]:
            patterns.append({"label": "section", "pattern": f"{prefix} {combined}",
                             "id": combined})
    return patterns


# Sections people name in other ways: "the police one", "sectioned under 3", "never sectioned".
# The canonical value of the matched text is worked out by bot.sections.
SECTION_PHRASES = [
    "the police one", "the police section", "police section", "place of safety",
    "not sectioned", "never sectioned", "never been sectioned", "wasnt sectioned",
    "wasn't sectioned", "was not sectioned", "no section",
]

# The sections that count or are named alone ("a 37/41", "on a 3").
DETENTION_SECTIONS = ["2", "3", "4", "5", "35", "36", "37", "38", "45a", "47", "48", "135", "136"]


def _number_spellings(canonical: str) -> list[str]:
    return [canonical] + SECTION_WORDS.get(canonical, [])


def extra_section_patterns() -> list[dict]:
    """Glued combined forms ("s.37/41"), lead-ins ("sectioned under 3", "on a 37"), phrases."""
    patterns: list[dict] = []
    for combined in COMBINED_SECTIONS:
        main, _, extra = combined.partition("/")
        for prefix in ["s", "s.", "sec", "sec.", "section"]:
            patterns.append({"label": "section", "pattern": [{"LOWER": f"{prefix}{combined}"}],
                             "id": combined})
        if extra:  # "37 / 41", "37 41", "section 37 41"
            for lead in [[], [{"LOWER": "section"}], [{"LOWER": "s"}], [{"LOWER": "s."}]]:
                patterns.append({"label": "section", "id": combined, "pattern": lead + [
                    {"LOWER": main}, {"LOWER": "/"}, {"LOWER": extra}]})
                patterns.append({"label": "section", "id": combined, "pattern": lead + [
                    {"LOWER": main}, {"LOWER": extra}]})
    for canonical in DETENTION_SECTIONS:
        for spelling in _number_spellings(canonical):
            words = [{"LOWER": w} for w in spelling.split()]
            for lead in (["sectioned"], ["sectioned", "under"], ["sectioned", "on"],
                         ["detained", "under"], ["on", "a"], ["sec."]):
                patterns.append({"label": "section", "id": canonical,
                                 "pattern": [{"LOWER": w} for w in lead] + words})
            if len(canonical) > 1:  # "a 136", "a 37"; never "a 2" (too common)
                patterns.append({"label": "section", "id": canonical,
                                 "pattern": [{"LOWER": "a"}] + words})
    for phrase in SECTION_PHRASES:
        patterns.append({"label": "section", "pattern": _phrase_pattern(phrase), "id": phrase})
    return patterns


def order_patterns() -> list[dict]:
    return [
        {"label": "order", "pattern": _phrase_pattern(spelling), "id": canonical}
        for canonical, spellings in ORDERS.items()
        for spelling in spellings
    ]


def all_patterns() -> list[dict]:
    return section_patterns() + extra_section_patterns() + order_patterns()
