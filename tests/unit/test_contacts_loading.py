"""Loading and checking contacts files: good files load whole, bad ones name the line at fault."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot import contacts
from bot.__main__ import main
from bot.contacts import ContactsError, check_file, load_directory, parse

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures" / "contacts"
SEEDED = ROOT / "contacts" / "contacts.yml"


def problems(name: str) -> list[str]:
    with pytest.raises(ContactsError) as caught:
        load_directory(FIXTURES / name)
    return [str(p) for p in caught.value.problems]


# ---------------------------------------------------------------- the seeded file

def test_the_seeded_file_loads_with_kent_and_the_isle_of_wight():
    directory = load_directory(SEEDED)
    assert set(directory.areas) == {"kent", "isle-of-wight"}
    assert directory.areas["kent"].nhs_body == "NHS Kent and Medway Integrated Care Board"
    assert directory.areas["isle-of-wight"].country == "England"


def test_the_seeded_file_leaves_out_every_number_facts_md_marks_unverified():
    text = SEEDED.read_text()
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    for unverified in ("03000 410 410", "03000 410 304", "0300 790 0203", "0808 801 0525",
                       "0800 702 2020"):
        assert unverified.replace(" ", "") not in body.replace(" ", ""), unverified


def test_every_seeded_contact_says_where_it_comes_from_and_when_it_was_checked():
    directory = load_directory(SEEDED)
    every = list(directory.national) + [c for a in directory.areas.values() for c in a.contacts]
    assert every
    for contact in every:
        assert contact.sources and dt.date.fromisoformat(contact.checked), contact.who


def test_seeded_fixed_opening_hours_also_say_to_check_the_website():
    # facts.md section 3: hours differ between sources, so say "check the website".
    directory = load_directory(SEEDED)
    for contact in list(directory.national) + [c for a in directory.areas.values()
                                               for c in a.contacts]:
        if any(ch.isdigit() for ch in contact.hours) and "24 hours" not in contact.hours:
            assert contact.hours.endswith("Check their website for opening hours."), contact.who


def test_the_seeded_national_contacts_match_facts_md_section_3():
    national = {c.who: c for c in load_directory(SEEDED).national}
    assert national["Local Government and Social Care Ombudsman"].phone == "0300 061 0614"
    assert national["Parliamentary and Health Service Ombudsman"].phone == "0345 015 4033"
    psow = national["Public Services Ombudsman for Wales"]
    assert (psow.phone, psow.email, psow.countries) == ("", "ask@ombudsman.wales", ("Wales",))
    assert national["Mind Legal Line"].phone == "0300 466 6463"
    assert national["Civil Legal Advice (legal aid helpline)"].phone == "0345 345 4345"
    assert national["Samaritans"].phone == "116 123"
    assert national["Shout"].text == "85258"


def test_kent_children_s_complaints_use_the_kent_gov_uk_details_not_the_leaflet():
    kent = load_directory(SEEDED).areas["kent"]
    children = next(c for c in kent.contacts if c.audience == "children")
    assert (children.phone, children.email) == ("03000 41 11 11", "cscomplaints@kent.gov.uk")
    assert children.web.startswith("https://www.kent.gov.uk/")
    adults = next(c for c in kent.contacts if c.audience == "adults")
    assert adults.phone == "" and "kent.gov.uk" in adults.web


def test_the_tap_to_call_number_is_digits_only():
    kent = load_directory(SEEDED).areas["kent"]
    assert kent.contacts[1].as_dict()["tel"] == "03000411111"


# ---------------------------------------------------------------- bad files

def test_a_good_minimal_file_loads():
    directory = load_directory(FIXTURES / "good_minimal.yml")
    assert list(directory.areas) == ["testshire"]


def test_a_bad_phone_a_bad_date_and_an_unquoted_number_are_each_reported_with_their_line():
    assert problems("bad_phone_and_date.yml") == [
        "line 19: area 'testshire', contact 1 ('Testshire County Council: complaints'): "
        "'phone' '0300 41 11' is not a UK number. Write it like 0300 123 4567, 116 123 or 999",
        "line 21: area 'testshire', contact 1 ('Testshire County Council: complaints'): "
        "'checked' '25/11/2026' is not a date. Write it as YYYY-MM-DD, e.g. 2026-11-25",
        "line 28: national contact 1 ('Samaritans'): 'phone' 116123 must be in quotes, "
        "e.g. phone: \"0300 123 4567\"",
    ]


def test_missing_fields_are_reported():
    found = problems("bad_missing_fields.yml")
    assert "line 10: area 'testshire': 'country' is required" in found
    assert any("line 15:" in p and "'sources' is required" in p for p in found)
    assert any("line 15:" in p and "'checked' is required" in p for p in found)
    assert any("line 15:" in p and "give at least one of phone" in p for p in found)
    assert any("line 23:" in p and "'countries' must list England and/or Wales" in p
               for p in found)
    assert any("line 25:" in p and "must start with https://" in p for p in found)
    assert any("line 26:" in p and "is not an email address" in p for p in found)


def test_duplicate_areas_names_and_postcode_districts_are_reported():
    assert problems("bad_duplicates.yml") == [
        "line 20: area 'otherby': the name 'Exampleton' is also used by area 'testshire'",
        "line 21: area 'otherby': postcode district ZZ1 is also in area 'testshire'",
        "line 23: area 'testshire': this id is used twice (first on line 9)",
    ]


def test_a_key_written_twice_is_a_problem_not_a_silent_overwrite():
    assert problems("bad_yaml.yml") == ["line 3: 'version' is written twice here; keep one"]


def test_broken_yaml_names_its_line():
    [problem] = problems("bad_syntax.yml")
    assert problem.startswith("line 4: this is not valid YAML")


def test_a_missing_file_is_a_clear_error():
    with pytest.raises(ContactsError, match="cannot read the file"):
        load_directory(FIXTURES / "no_such_file.yml")


@pytest.mark.parametrize("phone", ["0300 061 0614", "03000 41 11 11", "020 7320 5650",
                                   "116 123", "999", "111", "01632 960000", "07700 900123"])
def test_uk_phone_formats_are_accepted(phone):
    text = (FIXTURES / "good_minimal.yml").read_text().replace('"01632 960 000"', f'"{phone}"')
    assert parse(text).areas["testshire"].contacts[0].phone == phone


@pytest.mark.parametrize("phone", ["+1 212 555 0100", "0300 061", "12345", "phone them",
                                   "0300 061 06144 1"])
def test_other_phone_formats_are_refused(phone):
    text = (FIXTURES / "good_minimal.yml").read_text().replace('"01632 960 000"', f'"{phone}"')
    with pytest.raises(ContactsError, match="is not a UK number"):
        parse(text)


@pytest.mark.parametrize("hours, ok", [
    ("Monday to Friday, 9am to 5pm.", False),
    ("Mon-Fri 08:30 to 17:30", False),
    ("Monday to Friday, 9am to 5pm. Check their website for opening hours.", True),
    ("24 hours, every day.", True),
    ("Check their website for opening hours.", True),
])
def test_fixed_opening_hours_must_say_to_check_the_website(hours, ok):
    text = (FIXTURES / "good_minimal.yml").read_text().replace(
        'phone: "01632 960 000"', f'phone: "01632 960 000"\n        hours: "{hours}"')
    if ok:
        assert parse(text).areas["testshire"].contacts[0].hours == hours
    else:
        with pytest.raises(ContactsError, match="Check their website for opening hours"):
            parse(text)


def test_a_bad_file_never_half_loads_even_when_most_of_it_is_good():
    text = SEEDED.read_text().replace('phone: "0345 345 4345"', 'phone: "0345 345"')
    with pytest.raises(ContactsError) as caught:
        parse(text, "contacts.yml")
    assert "Nothing was loaded" in caught.value.report()


# ---------------------------------------------------------------- the command and the settings

def test_contacts_check_prints_a_summary_for_a_good_file(capsys):
    assert main(["contacts", "check", str(FIXTURES / "good_minimal.yml")]) == 0
    out = capsys.readouterr().out
    assert "good_minimal.yml: OK." in out and "1 area, 1 area contact, 1 national contact" in out


def test_contacts_check_exits_1_and_prints_the_problems_for_a_bad_file(capsys):
    assert main(["contacts", "check", str(FIXTURES / "bad_duplicates.yml")]) == 1
    err = capsys.readouterr().err
    assert "3 problems. Nothing was loaded." in err and "line 23:" in err


def test_the_default_area_may_be_an_id_or_a_name_and_must_exist():
    assert check_file(SEEDED, "kent")[0] == 0
    assert "S117_DEFAULT_AREA: isle-of-wight" in check_file(SEEDED, "Isle of Wight")[1]
    code, report = check_file(SEEDED, "Narnia")
    assert code == 1 and "S117_DEFAULT_AREA='Narnia' is not an area" in report


def test_settings_come_from_the_environment_with_defaults():
    assert contacts.ContactsSettings.from_env({}) == contacts.ContactsSettings(
        "contacts/contacts.yml", "")
    assert contacts.ContactsSettings.from_env(
        {"S117_CONTACTS_FILE": "/srv/c.yml", "S117_DEFAULT_AREA": " kent "}
    ) == contacts.ContactsSettings("/srv/c.yml", "kent")


def test_the_deployers_file_is_read_once_on_first_use(monkeypatch):
    monkeypatch.setenv("S117_CONTACTS_FILE", str(FIXTURES / "good_minimal.yml"))
    monkeypatch.setenv("S117_DEFAULT_AREA", "Exampleton")
    contacts.loaded.cache_clear()
    try:
        directory, default = contacts.loaded()
        assert (list(directory.areas), default) == (["testshire"], "testshire")
        monkeypatch.setenv("S117_CONTACTS_FILE", str(FIXTURES / "bad_yaml.yml"))
        assert contacts.loaded()[0] is directory
    finally:
        contacts.loaded.cache_clear()


def test_a_bad_deployer_file_stops_loading_with_the_message(monkeypatch):
    monkeypatch.setenv("S117_CONTACTS_FILE", str(FIXTURES / "bad_yaml.yml"))
    contacts.loaded.cache_clear()
    try:
        with pytest.raises(ContactsError, match="written twice"):
            contacts.loaded()
    finally:
        contacts.loaded.cache_clear()


def test_the_startup_check_reads_the_settings_and_fails_on_a_bad_file():
    good = {"S117_CONTACTS_FILE": str(SEEDED), "S117_DEFAULT_AREA": "maidstone"}
    code, report = contacts.startup_check(good)
    assert code == 0 and "S117_DEFAULT_AREA: kent" in report
    code, report = contacts.startup_check({"S117_CONTACTS_FILE": str(FIXTURES / "bad_yaml.yml")})
    assert code == 1 and "Nothing was loaded" in report
