"""bot/content.py: one copy of each answer, the role variants Rasa needs built from it."""

from __future__ import annotations

import pytest
import yaml

from bot import content

RAW = {
    "kind": "easy", "image": "/static/symbols/money.svg", "alt": "A purse",
    "sources": ["mha_s117"], "facts": "F4.1", "checked": "2026-11-30",
    "text": "[[You do|The person you care for does|Your client does]] not pay.\n\n"
            "Ask [[your|their|their]] care coordinator.",
    "buttons": [{"More detail": '/more_detail{"topic": "charging"}'}],
}


def test_each_role_reads_its_own_words():
    r = content.parse_response("utter_charging", RAW, "charging.yml")
    assert r.text_for("patient") == "You do not pay.\n\nAsk your care coordinator."
    assert r.text_for("carer") == ("The person you care for does not pay.\n\n"
                                   "Ask their care coordinator.")
    assert r.text_for("advocate") == "Your client does not pay.\n\nAsk their care coordinator."


def test_rasa_gets_carer_and_advocate_variants_then_the_plain_one_last():
    variants = content.parse_response("utter_charging", RAW, "charging.yml").for_rasa()
    assert [v.get("condition", [{}])[0].get("value") for v in variants] == ["carer", "advocate", None]
    assert variants[-1]["text"].startswith("You do not pay")
    # Rasa fills {slot} placeholders in payloads too: the build doubles the braces.
    assert variants[0]["buttons"] == [{"title": "More detail",
                                       "payload": '/more_detail{{"topic": "charging"}}'}]
    assert variants[0]["custom"] == {"kind": "easy", "response": "utter_charging",
                                     "alt": "A purse", "sources": ["mha_s117"],
                                     "facts": "F4.1", "checked": "2026-11-30"}


def test_a_response_without_marks_is_one_variant():
    raw = dict(RAW, text="Goodbye.")
    assert len(content.parse_response("utter_bye", raw, "x.yml").for_rasa()) == 1


def test_a_role_can_have_its_own_picture():
    raw = dict(RAW, text="Hello.", by_role={"carer": {"image": "/static/symbols/carer.svg"}})
    variants = content.parse_response("utter_role_ack", raw, "x.yml").for_rasa()
    assert [v["image"] for v in variants] == ["/static/symbols/carer.svg",
                                              "/static/symbols/money.svg",
                                              "/static/symbols/money.svg"]


@pytest.mark.parametrize(("change", "message"), [
    ({"text": "[[You|Them]] pay."}, "needs 3 choices"),
    ({"colour": "red"}, "unknown field"),
    ({"sources": []}, "either sources or no_sources_because"),
    ({"no_sources_because": "a greeting"}, "either sources or no_sources_because"),
    ({"checked": "last week"}, "checked must be a date"),
    ({"alt": ""}, "alt is missing"),
    ({"buttons": [{"More detail": "more_detail"}]}, "needs a title and a /payload"),
    ({"by_role": {"patient": {"alt": "x"}}}, "by_role may only name"),
])
def test_a_bad_entry_is_refused_with_its_name(change, message):
    with pytest.raises(content.ContentError, match=message) as caught:
        content.parse_response("utter_charging", dict(RAW, **change), "charging.yml")
    assert "charging.yml: utter_charging" in str(caught.value)


def test_build_rewrites_only_the_responses_and_check_sees_a_hand_edit(tmp_path):
    answers = tmp_path / "answers"
    answers.mkdir()
    (answers / "charging.yml").write_text(yaml.safe_dump({"utter_charging": RAW}))
    domain = tmp_path / "domain.yml"
    domain.write_text('version: "3.1"\nintents:\n  - greet\nresponses:\n  utter_old: []\n')
    assert content.build(domain, answers) is True
    built = yaml.safe_load(domain.read_text())
    assert built["intents"] == ["greet"] and list(built["responses"]) == ["utter_charging"]
    assert content.is_built(domain, answers)
    assert content.build(domain, answers) is False  # nothing to do the second time
    domain.write_text(domain.read_text().replace("not pay", "not usually pay"))
    assert not content.is_built(domain, answers)


def test_the_same_name_in_two_files_is_refused(tmp_path):
    for name in ("a.yml", "b.yml"):
        (tmp_path / name).write_text(yaml.safe_dump({"utter_charging": RAW}))
    with pytest.raises(content.ContentError, match="also in a.yml"):
        content.load_answers(tmp_path)
