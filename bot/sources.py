"""The public sources behind the answers (content/sources.yml): each once, as people cite it.

Answers and contact cards name sources by id. The web backend turns the ids into citations the
widget shows: a patient reads "From: the Mental Health Act 1983, section 117", an advocate opening
More detail gets every source with its title as it is cited and its web address.

Only sources that ../shared/facts.md records go in the registry. A source with no web address
says why (`no_url_because`), so a reader knows it is not an oversight.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable
from urllib.parse import urlsplit

import yaml

REGISTRY_FILE = Path(__file__).resolve().parent.parent / "content" / "sources.yml"
KINDS = {
    "law": "Law",
    "statutory_guidance": "Statutory guidance",
    "court_case": "Court case",
    "ombudsman": "Ombudsman",  # decisions and the Ombudsmen's guidance
    "nhs_or_government": "NHS or government guidance",
    "charity": "Charity",
    "council": "Council guidance",
    "legal_commentary": "Legal commentary",
    "news": "News",
}
FIELDS = {"title", "plain", "kind", "url", "no_url_because", "http_because", "checked"}
# What a council or court must follow, or has decided: an advocate quotes these first.
AUTHORITIES = {"law", "statutory_guidance", "court_case", "ombudsman"}
# The order answers list them in: the law first, then what binds or explains it; national
# charities before one council's pages, which an easy-read answer would otherwise show second.
KIND_ORDER = list(KINDS)


class SourceError(ValueError):
    """A registry entry that cannot be used; the message names the id and the field."""


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    plain: str
    kind: str
    url: str | None
    no_url_because: str
    checked: str

    def citation(self) -> dict[str, Any]:
        """What the widget receives: no ids of ours, only what a reader can look up."""
        return {"title": self.title, "plain": self.plain, "kind": KINDS[self.kind],
                "authority": self.kind in AUTHORITIES, "url": self.url, "checked": self.checked}


def _date(value: Any, where: str) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise SourceError(f"{where}: checked must be a date like 2026-11-30") from None


def parse(raw: Any) -> dict[str, Source]:
    entries = (raw or {}).get("sources") if isinstance(raw, dict) else None
    if not isinstance(entries, dict) or not entries:
        raise SourceError("the registry needs a 'sources:' mapping of id -> entry")
    registry = {}
    for source_id, entry in entries.items():
        where = f"source {source_id}"
        if not isinstance(entry, dict):
            raise SourceError(f"{where}: expected title, plain, kind, url and checked")
        for key in ("title", "plain", "kind", "checked"):
            if not entry.get(key):
                raise SourceError(f"{where}: {key} is missing")
        if entry["kind"] not in KINDS:
            raise SourceError(f"{where}: kind {entry['kind']!r} is not one of {', '.join(KINDS)}")
        unknown = set(entry) - FIELDS
        if unknown:
            raise SourceError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
        url = entry.get("url")
        if url is not None:
            parts = urlsplit(str(url))
            if parts.scheme not in ("https", "http") or not parts.netloc:
                raise SourceError(f"{where}: url must be a web address, not {url!r}")
            if parts.scheme == "http" and not str(entry.get("http_because") or "").strip():
                raise SourceError(f"{where}: an http:// address needs http_because (use "
                                  "https:// wherever the source gives it)")
        elif not str(entry.get("no_url_because") or "").strip():
            raise SourceError(f"{where}: no url, so no_url_because must say why")
        registry[source_id] = Source(
            id=source_id, title=str(entry["title"]).strip(), plain=str(entry["plain"]).strip(),
            kind=entry["kind"], url=str(url) if url else None,
            no_url_because=str(entry.get("no_url_because") or "").strip(),
            checked=_date(entry["checked"], where))
    return registry


def load(path: Path = REGISTRY_FILE) -> dict[str, Source]:
    return parse(yaml.safe_load(path.read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def registry() -> dict[str, Source]:
    return load()


def citations(ids: Iterable[Any], known: dict[str, Source] | None = None) -> list[dict[str, Any]]:
    """The citations for these ids, in their order. An unknown id is dropped, never shown:
    tests/content keeps every id in the answers known."""
    known = registry() if known is None else known
    seen, out = set(), []
    for source_id in ids:
        if isinstance(source_id, str) and source_id in known and source_id not in seen:
            seen.add(source_id)
            out.append(known[source_id].citation())
    return out


def urls_not_in(known: dict[str, Source], facts_text: str) -> list[str]:
    """Registry addresses the fact sheet does not give, or gives with the other scheme: the
    registry may only hold sources facts.md records, and never downgrade https to http."""
    problems = []
    for source in known.values():
        if source.url is None:
            continue
        if source.url in facts_text:
            continue
        rest = source.url.split("://", 1)[1]
        if f"https://{rest}" in facts_text:
            problems.append(f"{source.id}: facts.md gives https://{rest}")
        else:
            problems.append(f"{source.id}: {source.url} is not in facts.md")
    return problems
