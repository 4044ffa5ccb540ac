"""The contacts directory: local and national complaint and advice contacts, kept by the deployer.

The data lives in a YAML file outside Rasa's training data (contacts/contacts.yml; the schema is in
contacts/README.md). `load_directory` reads and checks the whole file and either returns a complete
Directory or raises ContactsError listing every problem with its line: it never half-loads.
`directory()` loads the file named by S117_CONTACTS_FILE once, on first use, and caches it.
Finding an area in what someone typed is in bot.area_lookup.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path

from bot.area_lookup import AreaMatch, find_area
from bot.contacts_loader import Problem
from bot.contacts_model import (
    COUNTRIES, DEFAULT_FILE, Area, Contact, ContactsError, Directory,
)
from bot.contacts_schema import parse


def load_directory(path: str | Path) -> Directory:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise ContactsError(path, [Problem(0, f"cannot read the file: {error.strerror}")])
    return parse(text, path)


# ---------------------------------------------------------------- settings and the shared copy

@dataclass(frozen=True)
class ContactsSettings:
    contacts_file: str = DEFAULT_FILE
    default_area: str = ""

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> ContactsSettings:
        env = os.environ if env is None else env
        return cls(contacts_file=env.get("S117_CONTACTS_FILE") or DEFAULT_FILE,
                   default_area=(env.get("S117_DEFAULT_AREA") or "").strip())


def resolve_default_area(directory: Directory, setting: str, path: str | Path) -> str | None:
    """The area id named by S117_DEFAULT_AREA (an id or one of the area's names), or None."""
    if not setting:
        return None
    if setting in directory.areas:
        return setting
    match = find_area(setting, directory)
    if match is None or match.kind != "area":
        raise ContactsError(path, [Problem(0, f"S117_DEFAULT_AREA={setting!r} is not an area "
                                              f"in this file ({', '.join(directory.areas)})")])
    return match.key


@functools.lru_cache(maxsize=1)
def loaded() -> tuple[Directory, str | None]:
    """The deployer's directory and default area id, read once on first use."""
    settings = ContactsSettings.from_env()
    directory = load_directory(settings.contacts_file)
    return directory, resolve_default_area(directory, settings.default_area,
                                           settings.contacts_file)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def check_file(path: str | Path, default_area: str = "") -> tuple[int, str]:
    """What `python -m bot contacts check FILE` prints, and its exit code."""
    try:
        directory = load_directory(path)
        default = resolve_default_area(directory, default_area, path)
    except ContactsError as error:
        return 1, error.report()
    area_contacts = sum(len(a.contacts) for a in directory.areas.values())
    lines = [f"{path}: OK.",
             f"  {_count(len(directory.areas), 'area')}, {_count(area_contacts, 'area contact')}, "
             f"{_count(len(directory.national), 'national contact')}."]
    for area in directory.areas.values():
        lines.append(f"  {area.id}: {area.council} ({area.country}); "
                     f"{_count(len(area.names), 'name')}, "
                     f"{_count(len(area.postcode_districts), 'postcode district')}, "
                     f"{_count(len(area.contacts), 'contact')}")
    lines.append(f"  S117_DEFAULT_AREA: {default or 'not set (people are asked for their area)'}")
    return 0, "\n".join(lines)




def startup_check(env: dict[str, str] | None = None) -> tuple[int, str]:
    """Check the deployer's file and S117_DEFAULT_AREA before the servers start (exit code, text).

    A start-up script calls this and stops with the text when the code is not 0.
    """
    settings = ContactsSettings.from_env(env)
    return check_file(settings.contacts_file, settings.default_area)


# ---------------------------------------------------------------- what the complaints answer shows

UNKNOWN = "unknown"
COMPLAINT_PURPOSES = ("complaints", "advice")


@dataclass(frozen=True)
class ComplaintContacts:
    """The contacts for one area value: kind is "area", "country" or "unknown"."""
    kind: str
    area: Area | None
    country: str | None
    contacts: tuple[Contact, ...]


def area_value(match: AreaMatch | None) -> str | None:
    """What the `area` slot holds for a match: an area id, "england" or "wales"; None if none."""
    if match is None:
        return None
    return match.key if match.kind == "area" else match.key.lower()


def area_value_from_text(text: str | None, directory: Directory) -> str | None:
    return area_value(find_area(text, directory))


def is_area_value(value: str | None, directory: Directory) -> bool:
    return bool(value) and (value in directory.areas
                            or value in (UNKNOWN, *(c.lower() for c in COUNTRIES)))


def complaint_contacts(directory: Directory, value: str | None) -> ComplaintContacts:
    """The area's own contacts, then the ombudsmen and advice lines for its country."""
    area = directory.area(value)
    if area is not None:
        national = directory.national_for(area.country, COMPLAINT_PURPOSES)
        return ComplaintContacts("area", area, area.country,
                                 tuple(c for c in area.contacts if c.purpose in
                                       COMPLAINT_PURPOSES) + tuple(national))
    country = next((c for c in COUNTRIES if c.lower() == (value or "")), None)
    if country is not None:
        return ComplaintContacts("country", None, country,
                                 tuple(directory.national_for(country, COMPLAINT_PURPOSES)))
    return ComplaintContacts(UNKNOWN, None, None,
                             tuple(directory.national_for(None, COMPLAINT_PURPOSES)))
