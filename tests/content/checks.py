"""Content rules for every response in domain.yml, as small functions that return problems.

Each function returns a list of human-readable problems (empty when the text is fine), so the
tests can run them on the real domain and on a deliberately bad sample (the self-check).
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from bot.readability import (DETAIL_MAX_GRADE, DETAIL_MAX_WORDS, EASY_MAX_GRADE, EASY_MAX_WORDS,
                             EASY_MIN_FRE, MAX_SENTENCES, bubbles, scores, sentences, words)
from bot.topics import topic_names

ROOT = Path(__file__).resolve().parents[2]

SYMBOLS = {
    "hello", "question", "stop", "computer", "crisis", "aftercare", "law", "eligible", "not-eligible",
    "depends", "money", "payment", "home", "plan", "meeting", "review", "end", "people", "carer",
    "advocate", "area", "complaint", "wales", "medicine", "dictionary", "goodbye", "thanks", "restart",
}
CRISIS_RESPONSE = "utter_crisis"
# facts.md section 3 (national contacts): used only when contacts/contacts.yml is absent.
CRISIS_NUMBERS_FROM_FACTS = {"999", "111", "116123", "85258"}
FORBIDDEN = [re.compile(r"\bHealth Authority\b", re.I)]
# "CCG" only as the old name (facts.md Q31: "Old leaflets may say CCG. CCGs closed on 1 July
# 2022."): each sentence that names it must also say it is old. Never as a body that acts now.
CCG = re.compile(r"\bCCGs?\b", re.I)
CCG_AS_HISTORY = re.compile(r"\b(old|older|closed|replaced|abolished|used to|former(ly)?)\b", re.I)
# The trace of where a text was checked in facts.md: a fact id, a section, a question or a seed.
FACTS_TRACE = re.compile(r"\bF\d+(\.\d+)?\b|\b1\.\d+\b|section \d|\bQ\d+|NEWHAM|KENT|MANUAL|IOW|"
                         r"MIND|contacts/contacts\.yml")
IMAGE = re.compile(r"^/static/symbols/([a-z-]+)\.svg$")

# UK numbers that start with 0 (0300 123 3393, 03000 41 11 11, 0800 144 8848), the short crisis
# numbers, and Relay UK's 18001 prefix. Ombudsman case numbers ("18 010 781b") do not start with 0.
PHONE = re.compile(
    r"(?<![\w])(0\d{2,4}(?:[ -]?\d{2,4}){2,3}|999|111|112|116 ?\d{3}|85258|18001)(?![\w])"
)


def readability(text: str) -> tuple[float, float]:
    """(Flesch Reading Ease, Flesch-Kincaid grade), offline (see bot/readability.py)."""
    return scores("\n\n".join(bubbles(text)))


def is_detail(name: str, variation: dict[str, Any]) -> bool:
    return name.startswith("utter_detail_") or (variation.get("custom") or {}).get("kind") == "detail"


def check_shape(name: str, variation: dict[str, Any]) -> list[str]:
    """Sentence length and bubble size."""
    problems = []
    limit = DETAIL_MAX_WORDS if is_detail(name, variation) else EASY_MAX_WORDS
    for bubble in bubbles(variation.get("text") or ""):
        found = sentences(bubble)
        if len(found) > MAX_SENTENCES:
            problems.append(f"{name}: {len(found)} sentences in one bubble: {bubble[:60]!r}")
        for sentence in found:
            if len(words(sentence)) > limit:
                problems.append(f"{name}: {len(words(sentence))} words (max {limit}): {sentence!r}")
    return problems


def check_tags(name: str, variation: dict[str, Any], known_sources: Iterable[str] = ()) -> list[str]:
    """Picture, alt text, public sources (ids in content/sources.yml), facts trace, checked date."""
    problems = []
    custom = variation.get("custom") or {}
    match = IMAGE.match(str(variation.get("image") or ""))
    if not match or match.group(1) not in SYMBOLS:
        problems.append(f"{name}: image must be one of our symbols, got {variation.get('image')!r}")
    if not str(custom.get("alt") or "").strip():
        problems.append(f"{name}: custom.alt (text for the picture) is missing")
    sources = custom.get("sources")
    known = set(known_sources)
    if not isinstance(sources, list):
        problems.append(f"{name}: custom.sources must list ids from content/sources.yml")
    else:
        problems += [f"{name}: source {s!r} is not in content/sources.yml"
                     for s in sources if s not in known]
    if not FACTS_TRACE.search(str(custom.get("facts") or "")):
        problems.append(f"{name}: custom.facts must name the facts.md entries the text was checked against")
    try:
        _dt.date.fromisoformat(str(custom.get("checked")))
    except ValueError:
        problems.append(f"{name}: custom.checked must be an ISO date, got {custom.get('checked')!r}")
    return problems


def check_words(name: str, variation: dict[str, Any]) -> list[str]:
    """Out-of-date names, and phone numbers outside the crisis answer."""
    text = variation.get("text") or ""
    problems = [f"{name}: uses {p.pattern!r}" for p in FORBIDDEN if p.search(text)]
    problems += [f"{name}: says CCG as if it still exists: {s!r}"
                 for b in bubbles(text) for s in sentences(b)
                 if CCG.search(s) and not CCG_AS_HISTORY.search(s)]
    if name != CRISIS_RESPONSE:
        problems += [f"{name}: phone number {m!r} (numbers live in contacts data)"
                     for m in PHONE.findall(text)]
    return problems


def check_readability(name: str, texts: Iterable[str], detail: bool) -> list[str]:
    fre, grade = readability("\n\n".join(texts))
    if detail:
        return [f"{name}: grade {grade:.1f} > {DETAIL_MAX_GRADE}"] if grade > DETAIL_MAX_GRADE else []
    problems = []
    if fre < EASY_MIN_FRE:
        problems.append(f"{name}: Flesch Reading Ease {fre:.1f} < {EASY_MIN_FRE}")
    if grade > EASY_MAX_GRADE:
        problems.append(f"{name}: Flesch-Kincaid grade {grade:.1f} > {EASY_MAX_GRADE}")
    return problems


def digits(number: str) -> str:
    return re.sub(r"\D", "", number)


def national_numbers(contacts_file: Path) -> set[str]:
    """Every phone or text number in the contacts data, digits only."""
    if not contacts_file.exists():
        return set(CRISIS_NUMBERS_FROM_FACTS)
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in {"phone", "text", "sms"} and isinstance(value, (str, int)):
                    found.add(digits(str(value)))
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(yaml.safe_load(contacts_file.read_text(encoding="utf-8")))
    return found


def check_crisis_numbers(text: str, known: set[str]) -> list[str]:
    used = {digits(m) for m in PHONE.findall(text)}
    problems = [f"utter_crisis: number {n} is not in the contacts data" for n in sorted(used - known)]
    problems += [f"utter_crisis: must give {n}" for n in sorted(CRISIS_NUMBERS_FROM_FACTS - used)]
    return problems


def load_responses(domain_file: Path = ROOT / "domain.yml") -> dict[str, list[dict[str, Any]]]:
    return (yaml.safe_load(domain_file.read_text(encoding="utf-8")) or {}).get("responses") or {}


def load_intents(domain_file: Path = ROOT / "domain.yml") -> list[str]:
    intents = (yaml.safe_load(domain_file.read_text(encoding="utf-8")) or {}).get("intents") or []
    return [i if isinstance(i, str) else next(iter(i)) for i in intents]
