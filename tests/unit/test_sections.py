"""What people write about sections, orders and where they are now -> canonical values."""

from __future__ import annotations

import pytest

from bot.sections import (canonical_leave, canonical_orders, canonical_readmit,
                          canonical_sections, canonical_status)


@pytest.mark.parametrize("text,expected", [
    ("section 3", ["3"]), ("section three", ["3"]), ("s3", ["3"]), ("s.3", ["3"]),
    ("sec 3", ["3"]), ("Section Three", ["3"]), ("sectioned under 3", ["3"]),
    ("s.37", ["37"]), ("section thirty seven", ["37"]), ("thirty-seven", ["37"]),
    ("37/41", ["37/41"]), ("s.37/41", ["37/41"]), ("s37/41", ["37/41"]),
    ("section 37 / 41", ["37/41"]), ("37 and 41", ["37/41"]), ("section 37 41", ["37/41"]),
    ("45A", ["45A"]), ("sec 45a", ["45A"]), ("section 45 a", ["45A"]),
    ("s47", ["47"]), ("forty seven", ["47"]), ("47/49", ["47/49"]), ("s48/49", ["48/49"]),
    ("section 2", ["2"]), ("section two", ["2"]), ("s 5(2)", ["5(2)"]), ("5(4)", ["5(4)"]),
    ("section 5", ["5"]), ("a 136", ["136"]), ("s135", ["135"]), ("the police one", ["136"]),
    ("section 35", ["35"]), ("s36", ["36"]), ("s 38", ["38"]), ("section 4", ["4"]),
    ("a section 2 then a section 3", ["2", "3"]),
    ("I don't know", ["unknown"]), ("dont know", ["unknown"]), ("not sure", ["unknown"]),
    ("no idea", ["unknown"]), ("I can't remember", ["unknown"]),
    ("never sectioned", ["none"]), ("I was not sectioned", ["none"]),
    ("I went in voluntarily", ["none"]),
    ("section 117", []), ("section 17", []), ("for 3 weeks", []), ("hello", []), ("", []),
])
def test_canonical_sections(text, expected):
    assert canonical_sections(text) == expected


def test_entity_lists_are_combined_in_order():
    assert canonical_sections(["section 2", "section three"]) == ["2", "3"]
    assert canonical_sections(["s.37", "41"]) == ["37/41"]
    assert canonical_sections(["section 117", "s3"]) == ["3"]
    assert canonical_sections(None) == []
    assert canonical_sections(["3", "s.3"]) == ["3"]


@pytest.mark.parametrize("text,expected", [
    ("CTO", "cto"), ("a cto", "cto"), ("community treatment order", "cto"),
    ("conditionally discharged", "conditional_discharge"),
    ("conditional discharge", "conditional_discharge"), ("guardianship", "guardianship"),
    ("back in prison", "prison"), ("s17 leave", "section_17_leave"),
    ("section 17 leave", "section_17_leave"), ("voluntarily", "informal"),
    ("informal patient", "informal"),
])
def test_canonical_orders(text, expected):
    assert canonical_orders(text) == [expected]


@pytest.mark.parametrize("text,expected", [
    ("still in hospital", "detained"), ("I'm still on the section", "detained"),
    ("left", "left"), ("I'm back home", "left"), ("I left hospital last week", "left"),
    ("he was discharged", "left"), ("a CTO", "cto"), ("on a CTO", "cto"),
    ("conditionally discharged", "conditional_discharge"), ("back in prison", "prison"),
    ("on section 17 leave", "leave"), ("on leave", "leave"),
    ("still in hospital but informal now", "informal"), ("off the section but on the ward",
                                                         "informal"),
    ("guardianship", "guardianship"), ("I don't know", "unknown"), ("left", "left"),
    ("banana", None), (None, None),
])
def test_canonical_status(text, expected):
    assert canonical_status(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("short", "short"), ("escorted", "short"), ("with staff for an hour", "short"),
    ("long", "long"), ("unescorted", "long"), ("open-ended", "long"), ("on my own", "long"),
    ("trial leave to a care home", "long"), ("don't know", "unknown"), ("what", None),
])
def test_canonical_leave(text, expected):
    assert canonical_leave(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("no", "no"), ("No", "no"), ("never", "no"), ("not been back", "no"),
    ("yes, informally", "informal"), ("voluntary", "informal"), ("on a section 2", "section_2"),
    ("s3 again", "qualifying"), ("section three", "qualifying"), ("a 37", "qualifying"),
    ("a 136", "other"), ("not sure", "unknown"), ("yes", None),
])
def test_canonical_readmit(text, expected):
    assert canonical_readmit(text) == expected
