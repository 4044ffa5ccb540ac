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
    "cto": ["cto", "community treatment order", "community treatment orders", "s17a"],
    "guardianship": ["guardianship", "guardianship order", "under guardianship"],
    "conditional_discharge": ["conditional discharge", "conditionally discharged"],
    "section_17_leave": ["section 17 leave", "s17 leave", "s.17 leave", "leave of absence"],
    "informal": ["informal patient", "voluntary patient", "informally", "voluntarily"],
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


def order_patterns() -> list[dict]:
    return [
        {"label": "order", "pattern": _phrase_pattern(spelling), "id": canonical}
        for canonical, spellings in ORDERS.items()
        for spelling in spellings
    ]


def all_patterns() -> list[dict]:
    return section_patterns() + order_patterns()
