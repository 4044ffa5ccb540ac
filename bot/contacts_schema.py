"""Checks a contacts file field by field and builds the Directory, or lists every problem."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from bot.area_lookup import normalise
from bot.sources import registry as source_registry
from bot.contacts_loader import Problem, load_yaml_with_lines
from bot.contacts_model import (
    AREA_FIELDS, AUDIENCES, CONTACT_FIELDS, COUNTRIES, PURPOSES, TOP_FIELDS, Area, Contact,
    ContactsError, Directory,
)

_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
_EMAIL = re.compile(r"^[^@\s]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
_WEB = re.compile(r"^https?://[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(/\S*)?$")
_DISTRICT = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")
# UK numbers people can dial: landlines and 03/08 numbers (10-11 digits), mobiles,
# 116 xxx helplines, 999 and 111. Text numbers: mobiles or 5-digit short codes.
_PHONE = re.compile(r"^(0[1-9]\d{8,9}|116\d{3}|999|111)$")
_TEXT = re.compile(r"^(07\d{9}|\d{5})$")
# Fixed opening hours ("Monday to Friday, 9am to 6pm") differ between sources, so facts.md
# section 3 says to tell people to check the website: such hours must say so too.
_FIXED_HOURS = re.compile(r"\d\s*(am|pm)\b|\b\d{1,2}[.:]\d{2}\b|\b(mon|tue|wed|thu|fri|sat|sun)"
                          r"(day|sday|nesday|rsday|urday)?\b", re.I)
CHECK_HOURS = "Check their website for opening hours."


def _text(value: Any) -> bool:
    return isinstance(value, str) and value.strip() != ""


def _check_date(value: Any) -> str | None:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat() if value.year >= 2000 else None
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            return dt.date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            return None
    return None


class _Checker:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, line: int, message: str) -> None:
        self.problems.append(Problem(line, message))

    def contact(self, raw: Any, where: str, line: int, national: bool) -> Contact | None:
        if not isinstance(raw, dict):
            self.add(line, f"{where}: should be a list of fields (who, what_for, ...)")
            return None
        lines = getattr(raw, "lines", {})
        at = lambda key: lines.get(key, raw.line)  # noqa: E731
        where = f"{where} ({raw.get('who')!r})" if _text(raw.get("who")) else where
        start = len(self.problems)
        for key in raw:
            if key not in CONTACT_FIELDS or (key == "countries" and not national):
                self.add(at(key), f"{where}: unknown field '{key}'")
        for key in ("who", "what_for", "purpose", "audience", "sources", "checked"):
            if raw.get(key) in (None, ""):
                self.add(raw.line, f"{where}: '{key}' is required")
        for key in ("who", "what_for", "facts", "hours", "note", "address", "email", "web"):
            if raw.get(key) not in (None, "") and not _text(raw.get(key)):
                self.add(at(key), f"{where}: '{key}' should be text")
        if raw.get("purpose") not in (None, "") and raw.get("purpose") not in PURPOSES:
            self.add(at("purpose"), f"{where}: 'purpose' must be one of {', '.join(PURPOSES)}")
        if raw.get("audience") not in (None, "") and raw.get("audience") not in AUDIENCES:
            self.add(at("audience"), f"{where}: 'audience' must be one of {', '.join(AUDIENCES)}")
        checked = _check_date(raw.get("checked"))
        if raw.get("checked") not in (None, "") and checked is None:
            self.add(at("checked"), f"{where}: 'checked' {raw.get('checked')!r} is not a date. "
                                    "Write it as YYYY-MM-DD, e.g. 2026-11-25")
        for key, pattern, example in (("phone", _PHONE, "0300 123 4567, 116 123 or 999"),
                                      ("text", _TEXT, "07700 900 123 or 85258")):
            value = raw.get(key)
            if value in (None, ""):
                continue
            if not isinstance(value, str):
                self.add(at(key), f"{where}: '{key}' {value!r} must be in quotes, "
                                  f"e.g. {key}: \"{example.split(',')[0]}\"")
            elif not pattern.match(re.sub(r"[\s-]", "", value)):
                self.add(at(key), f"{where}: '{key}' {value!r} is not a UK number. "
                                  f"Write it like {example}")
        hours = raw.get("hours")
        if _text(hours) and _FIXED_HOURS.search(hours) and "check" not in hours.lower():
            self.add(at("hours"), f"{where}: 'hours' {hours!r} gives fixed times, which differ "
                                  f"between sources. Add \"{CHECK_HOURS}\"")
        if _text(raw.get("email")) and not _EMAIL.match(raw["email"].strip()):
            self.add(at("email"), f"{where}: 'email' {raw['email']!r} is not an email address")
        if _text(raw.get("web")) and not _WEB.match(raw["web"].strip()):
            self.add(at("web"), f"{where}: 'web' {raw['web']!r} must start with https://")
        sources = raw.get("sources")
        if sources not in (None, "", []):
            known = source_registry()
            if not isinstance(sources, list) or not all(isinstance(s, str) for s in sources):
                self.add(at("sources"), f"{where}: 'sources' must be a list of ids from "
                                        "content/sources.yml, e.g. [lgsco_contact]")
            else:
                for source_id in sources:
                    if source_id not in known:
                        self.add(at("sources"), f"{where}: source '{source_id}' is not in "
                                                "content/sources.yml")
        ways = ("phone", "text", "email", "web", "address", "note")
        if all(raw.get(k) in (None, "") for k in ways):
            self.add(raw.line, f"{where}: give at least one of phone, text, email, web or "
                               "address, or a 'note' saying where to find them")
        countries = tuple(COUNTRIES)
        if national:
            value = raw.get("countries")
            if not isinstance(value, list) or not value or any(c not in COUNTRIES for c in value):
                self.add(at("countries"), f"{where}: 'countries' must list England and/or "
                                          f"Wales, not {value!r}")
            else:
                countries = tuple(value)
        if len(self.problems) > start:
            return None
        return Contact(
            **{k: raw[k].strip() for k in ("who", "what_for", "purpose", "audience")},
            facts=str(raw.get("facts") or "").strip(),
            sources=tuple(raw["sources"]), checked=checked or "", countries=countries,
            **{k: str(raw.get(k) or "").strip() for k in
               ("phone", "text", "email", "web", "address", "hours", "note")})

    def area(self, raw: Any, index: int, line: int) -> Area | None:
        where = f"area {index}"
        if not isinstance(raw, dict):
            self.add(line, f"{where}: should be a list of fields (id, council, ...)")
            return None
        lines = getattr(raw, "lines", {})
        at = lambda key: lines.get(key, raw.line)  # noqa: E731
        start = len(self.problems)
        if _text(raw.get("id")):
            where = f"area '{raw['id']}'"
        for key in raw:
            if key not in AREA_FIELDS:
                self.add(at(key), f"{where}: unknown field '{key}'")
        for key in ("id", "council", "country", "nhs_body", "names"):
            if raw.get(key) in (None, "", []):
                self.add(raw.line, f"{where}: '{key}' is required")
        if raw.get("id") and not (isinstance(raw["id"], str) and _ID.match(raw["id"])):
            self.add(at("id"), f"{where}: 'id' must be lower-case letters, digits and dashes")
        if raw.get("country") and raw.get("country") not in COUNTRIES:
            self.add(at("country"), f"{where}: 'country' must be England or Wales")
        names = raw.get("names") or []
        if not isinstance(names, list) or not all(_text(n) for n in names):
            self.add(at("names"), f"{where}: 'names' must be a list of names and places")
            names = []
        districts = raw.get("postcode_districts") or []
        if not isinstance(districts, list):
            self.add(at("postcode_districts"), f"{where}: 'postcode_districts' must be a list")
            districts = []
        item_lines = getattr(districts, "lines", [])
        for i, district in enumerate(districts):
            if not (isinstance(district, str) and _DISTRICT.match(district.strip().upper())):
                ln = item_lines[i] if i < len(item_lines) else at("postcode_districts")
                self.add(ln, f"{where}: {district!r} is not a postcode district (like ME14)")
        contacts = []
        raw_contacts = raw.get("contacts") or []
        if not isinstance(raw_contacts, list):
            self.add(at("contacts"), f"{where}: 'contacts' must be a list")
            raw_contacts = []
        for i, item in enumerate(raw_contacts, start=1):
            item_line = getattr(item, "line", line)
            contact = self.contact(item, f"{where}, contact {i}", item_line, False)
            if contact:
                contacts.append(contact)
        if len(self.problems) > start:
            return None
        return Area(id=raw["id"], council=raw["council"].strip(), country=raw["country"],
                    nhs_body=str(raw["nhs_body"]).strip(),
                    names=tuple(n.strip() for n in names),
                    postcode_districts=tuple(d.strip().upper() for d in districts),
                    contacts=tuple(contacts))


def _duplicates(checker: _Checker, raw_areas: list, areas: list[Area],
                country_names: dict[str, tuple[str, ...]]) -> None:
    ids: dict[str, str] = {}
    names: dict[str, str] = {normalise(n): f"country {c}" for c, ns in country_names.items()
                             for n in ns}
    districts: dict[str, str] = {}
    for raw, area in zip(raw_areas, areas):
        at = raw.lines.get
        if area.id in ids:
            checker.add(at("id", raw.line),
                        f"area '{area.id}': this id is used twice (first on {ids[area.id]})")
        ids[area.id] = f"line {at('id', raw.line)}"
        for name in (area.council,) + area.names:
            key = normalise(name)
            owner = names.get(key)
            if owner and owner != f"area '{area.id}'":
                line = at("council" if name == area.council else "names", raw.line)
                checker.add(line, f"area '{area.id}': the name {name!r} is also used by {owner}")
            names[key] = f"area '{area.id}'"
        for district in area.postcode_districts:
            if districts.get(district, area.id) != area.id:
                checker.add(at("postcode_districts", raw.line),
                            f"area '{area.id}': postcode district {district} is also "
                            f"in area '{districts[district]}'")
            districts[district] = area.id


def parse(text: str, path: str | Path = "<contacts>") -> Directory:
    """Check the YAML text of a contacts file. Returns a Directory or raises ContactsError."""
    raw, problems = load_yaml_with_lines(text)
    if problems:
        raise ContactsError(path, problems)
    checker = _Checker()
    if not isinstance(raw, dict):
        raise ContactsError(path, [Problem(1, "the file should start with 'version: 1'")])
    for key in raw:
        if key not in TOP_FIELDS:
            checker.add(raw.lines.get(key, 1), f"unknown top-level field '{key}'")
    if raw.get("version") != 1:
        checker.add(raw.lines.get("version", 1), "'version: 1' is required")
    country_names: dict[str, tuple[str, ...]] = {}
    raw_countries = raw.get("countries") or {}
    for country in COUNTRIES:
        entry = raw_countries.get(country) if isinstance(raw_countries, dict) else None
        names = entry.get("names") if isinstance(entry, dict) else None
        if not isinstance(names, list) or not all(_text(n) for n in names):
            checker.add(raw.lines.get("countries", 1),
                        f"countries: '{country}' needs a list of 'names'")
            continue
        country_names[country] = tuple(n.strip() for n in names)
    raw_areas = raw.get("areas")
    if not isinstance(raw_areas, list):
        checker.add(raw.lines.get("areas", 1), "'areas' must be a list (it may be empty: [])")
        raw_areas = []
    areas = [checker.area(item, i, getattr(item, "line", 1))
             for i, item in enumerate(raw_areas, start=1)]
    good = [(r, a) for r, a in zip(raw_areas, areas) if a is not None]
    _duplicates(checker, [r for r, _ in good], [a for _, a in good], country_names)
    national = []
    raw_national = raw.get("national")
    if not isinstance(raw_national, list) or not raw_national:
        checker.add(raw.lines.get("national", 1), "'national' must be a list of contacts")
        raw_national = []
    for i, item in enumerate(raw_national, start=1):
        contact = checker.contact(item, f"national contact {i}", getattr(item, "line", 1), True)
        if contact:
            national.append(contact)
    if checker.problems:
        raise ContactsError(path, sorted(checker.problems, key=lambda p: p.line))
    return Directory(areas={a.id: a for a in areas if a}, national=tuple(national),
                     country_names=country_names)


