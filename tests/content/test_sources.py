"""Every answer names public sources a person can look up, and nothing shown names our files.

- every response in content/answers has at least one source id, or says why it states no fact
  (a greeting, "Did you mean...?"); More detail answers and the crisis answer always have one;
- every id an answer or a contact card uses exists in content/sources.yml, and every registry
  entry is used somewhere;
- registry entries are well formed: a kind from the list, a checked date, and either a web
  address or a reason there is none;
- no string a person can see (responses, button titles, alt texts, the page, the widget's
  JavaScript, contact cards, the registry's own titles) contains "facts.md", a seed file name or
  a fact id such as F4.1.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from bot import content, sources
from bot.contacts import load_directory
from tests.content import checks

ROOT = checks.ROOT
ANSWERS = content.load_answers()
REGISTRY = sources.load()
DIRECTORY = load_directory(ROOT / "contacts" / "contacts.yml")
CONTACTS = [c for a in DIRECTORY.areas.values() for c in a.contacts] + list(DIRECTORY.national)
PAGE = (ROOT / "web" / "static" / "index.html").read_text(encoding="utf-8")
WIDGET = (ROOT / "web" / "static" / "chat.js").read_text(encoding="utf-8")
EMBED = (ROOT / "web" / "static" / "embed.js").read_text(encoding="utf-8")
# Our own working names: the fact sheet, its fact ids (F4.1, F10.6), seed file names and folder.
OUR_NAMES = re.compile(r"facts\.md|\bF\d{1,2}\.\d{1,2}\b|\b\d{3}_[0-9a-f]{16}\.txt\b|seeds/",
                       re.I)
ALWAYS_SOURCED_KINDS = {"detail", "crisis"}


def _page_sources() -> list[str]:
    """The ids the crisis box cites (data-sources on its source line)."""
    return [i for m in re.finditer(r'data-sources="([^"]*)"', PAGE) for i in m.group(1).split()]


@pytest.mark.parametrize("response", ANSWERS, ids=[r.name for r in ANSWERS])
def test_every_answer_has_a_source_or_says_why_not(response):
    if response.kind in ALWAYS_SOURCED_KINDS or response.name.startswith("utter_detail_"):
        assert response.sources, f"{response.name}: a {response.kind} answer needs its sources"
    if not response.sources:
        assert len(response.no_sources_because) >= 20, response.name


def test_every_source_id_exists():
    unknown = {(r.name, s) for r in ANSWERS for s in r.sources if s not in REGISTRY}
    unknown |= {(c.who, s) for c in CONTACTS for s in c.sources if s not in REGISTRY}
    unknown |= {("index.html", s) for s in _page_sources() if s not in REGISTRY}
    assert not unknown


def test_every_contact_card_names_a_public_source():
    assert CONTACTS and all(c.sources for c in CONTACTS), [c.who for c in CONTACTS if not c.sources]


def test_every_registry_entry_is_used():
    used = ({s for r in ANSWERS for s in r.sources} | {s for c in CONTACTS for s in c.sources}
            | set(_page_sources()))
    assert sorted(set(REGISTRY) - used) == []


def test_the_crisis_box_cites_the_crisis_answers_sources():
    crisis = next(r for r in ANSWERS if r.name == "utter_crisis")
    assert _page_sources() and set(_page_sources()) <= set(crisis.sources)


def test_registry_entries_are_complete():
    for entry in REGISTRY.values():
        assert entry.kind in sources.KINDS
        if entry.url is None:
            assert len(entry.no_url_because) >= 20, entry.id
        else:
            assert entry.url.startswith(("https://", "http://")), entry.id
        assert entry.title and entry.plain and entry.checked >= "2026-01-01", entry.id


def test_a_web_address_is_https_unless_the_registry_says_why():
    """facts.md gives some addresses as http:// only (legislation.gov.uk's Care Act pages,
    BAILII, NHSBSA): the registry keeps those as facts.md gives them and says so."""
    raw = yaml.safe_load((ROOT / "content" / "sources.yml").read_text(encoding="utf-8"))["sources"]
    plain_http = [i for i, e in raw.items() if str(e.get("url") or "").startswith("http://")
                  and not str(e.get("http_because") or "").strip()]
    assert plain_http == []


def _visible_strings() -> list[tuple[str, str]]:
    found = []
    for r in ANSWERS:
        for role in content.ROLES:
            found.append((r.name, r.text_for(role)))
        found += [(r.name, r.alt)] + [(r.name, title) for title, _ in r.buttons]
        found += [(r.name, v) for extra in r.by_role.values() for v in extra.values()]
    for c in CONTACTS:
        found += [(c.who, v) for v in (c.who, c.what_for, c.note, c.address, c.hours, c.web)]
    for entry in REGISTRY.values():
        found += [(entry.id, entry.title), (entry.id, entry.plain), (entry.id, entry.no_url_because)]
    visible_page = re.sub(r"<!--.*?-->", "", PAGE, flags=re.S)
    found.append(("index.html", visible_page))
    # The widget's string literals (its comments may name our files; a person never sees them).
    for name, code in (("chat.js", WIDGET), ("embed.js", EMBED)):
        found += [(name, s) for s in re.findall(r'"((?:[^"\\\n]|\\.)*)"', code)]
    return found


def test_nothing_a_person_sees_names_our_own_files_or_fact_ids():
    leaks = [(where, OUR_NAMES.search(text).group(0)) for where, text in _visible_strings()
             if OUR_NAMES.search(text)]
    assert leaks == []


def test_the_leak_check_bites():
    for leak in ("Source: facts.md section 3", "See F4.1", "from 000_fbe86819c6401498.txt"):
        assert OUR_NAMES.search(leak), leak
    assert not OUR_NAMES.search("Mental Health Act 1983, section 117(2), 2026-11-30, page 4.1")


def test_domain_sends_only_ids_and_the_facts_trace():
    """What Rasa holds: source ids (the web backend turns them into citations) and the
    facts.md trace for maintainers (the web backend drops it)."""
    for name, variants in checks.load_responses().items():
        for variant in variants:
            custom = variant["custom"]
            assert "source" not in custom and isinstance(custom["sources"], list), name
            assert all(s in REGISTRY for s in custom["sources"]), name


def test_domain_yml_is_built_from_the_topic_files():
    assert content.is_built(), ("domain.yml's responses differ from content/answers: "
                                "run `python -m bot content build`")


def test_one_topic_one_file():
    """A content writer edits one file per topic: an answer and its More detail live together."""
    where = {r.name: r.topic_file for r in ANSWERS}
    for name, topic_file in where.items():
        if name.startswith("utter_detail_"):
            easy = "utter_" + name.removeprefix("utter_detail_")
            if easy in where:
                assert where[easy] == topic_file, name
    intents = set(checks.load_intents())  # once: domain.yml takes about a second to read
    asked = [t for t in checks.topic_names(checks.load_responses()) if f"ask_{t}" in intents]
    assert all(Path(ROOT / "content" / "answers" / f"{t}.yml").exists() or
               where.get(f"utter_{t}") for t in asked)
