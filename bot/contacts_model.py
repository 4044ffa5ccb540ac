"""The contacts directory's data types and field rules (see contacts/README.md)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from bot.contacts_loader import Problem

DEFAULT_FILE = "contacts/contacts.yml"
COUNTRIES = ("England", "Wales")
PURPOSES = ("complaints", "advice", "crisis")
AUDIENCES = ("adults", "children", "everyone")
CONTACT_FIELDS = ("who", "what_for", "purpose", "phone", "text", "email", "web", "address",
                  "hours", "audience", "note", "sources", "facts", "checked", "countries")
AREA_FIELDS = ("id", "council", "country", "nhs_body", "names", "postcode_districts", "contacts")
TOP_FIELDS = ("version", "countries", "areas", "national")

class ContactsError(Exception):
    """The contacts file cannot be used. `problems` lists each one with its line."""

    def __init__(self, path: str | Path, problems: list[Problem]):
        self.path = str(path)
        self.problems = problems
        super().__init__(self.report())

    def report(self) -> str:
        count = len(self.problems)
        head = f"{self.path}: {count} problem{'s' if count != 1 else ''}. Nothing was loaded."
        return "\n".join([head] + [f"  {p}" for p in self.problems])


@dataclass(frozen=True)
class Contact:
    who: str
    what_for: str
    purpose: str
    audience: str
    facts: str  # where it was checked in facts.md: for maintainers, never sent to the widget
    checked: str
    sources: tuple[str, ...] = ()  # ids in content/sources.yml, shown as "From: ..."
    phone: str = ""
    text: str = ""
    email: str = ""
    web: str = ""
    address: str = ""
    hours: str = ""
    note: str = ""
    countries: tuple[str, ...] = COUNTRIES

    @property
    def tel(self) -> str:
        """The number for a tap-to-call link (tel:), digits only."""
        return re.sub(r"\D", "", self.phone)

    def as_dict(self) -> dict[str, object]:
        """The structured form sent to the widget (see actions/complaints.py)."""
        keys = ("who", "what_for", "phone", "tel", "text", "email", "web", "address", "hours",
                "audience", "note", "checked")
        return {**{key: getattr(self, key) for key in keys}, "sources": list(self.sources)}


@dataclass(frozen=True)
class Area:
    id: str
    council: str
    country: str
    nhs_body: str
    names: tuple[str, ...]
    postcode_districts: tuple[str, ...]
    contacts: tuple[Contact, ...]


@dataclass(frozen=True)
class Directory:
    areas: dict[str, Area]
    national: tuple[Contact, ...]
    country_names: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def area(self, area_id: str | None) -> Area | None:
        return self.areas.get(area_id or "")

    def postcode_map(self) -> dict[str, str]:
        return {d: a.id for a in self.areas.values() for d in a.postcode_districts}

    def national_for(self, country: str | None, purposes: tuple[str, ...]) -> list[Contact]:
        """National contacts for a country (both countries when it is not known)."""
        return [c for c in self.national if c.purpose in purposes
                and (country is None or country in c.countries)]


