"""bot/insights.py: counts, not conversations."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from bot import insights as I

DAY = dt.date(2026, 12, 2)


def msg(kind: str, response: str | None = None, **more) -> dict:
    custom = {"kind": kind, **more}
    if response:
        custom["response"] = response
    return {"text": "x", "custom": custom}


def test_a_reply_counts_its_kind_of_answer_and_nothing_else():
    messages = [msg("easy", "utter_charging"), msg("easy", "utter_also_asked"),
                msg("contacts", "utter_complaints_contacts", area={"id": "kent"}),
                msg("easy", "utter_elig_verdict_not_eligible"), msg("crisis", "utter_crisis"),
                msg("easy", "utter_fallback"), msg("easy", "utter_clarify"), msg("error")]
    counts = I.reply_counts(messages, started=False, from_person=True)
    assert counts == Counter({
        ("messages", ""): 1, ("answer", "utter_charging"): 1, ("answer", "utter_also_asked"): 1,
        ("answer", "utter_complaints_contacts"): 1, ("contacts_area", "kent"): 1,
        ("answer", "utter_elig_verdict_not_eligible"): 1, ("verdict", "not_eligible"): 1,
        ("answer", "utter_crisis"): 1, ("crisis", ""): 1, ("answer", "utter_fallback"): 1,
        ("not_sure", "utter_fallback"): 1, ("answer", "utter_clarify"): 1,
        ("did_you_mean", "utter_clarify"): 1, ("unavailable", ""): 1})
    assert I.reply_counts([], started=True, from_person=False) == Counter({("conversations", ""): 1})


def test_comments_lose_numbers_and_email_addresses():
    text = "I'm Jo Bloggs, call 07700 900123 or +44 (0)20 7946 0958, jo.bloggs@example.org; NHS no 943 476 5919."
    scrubbed = I.scrub(text)
    assert not any(ch.isdigit() for ch in scrubbed) and "@" not in scrubbed
    assert scrubbed.startswith("I'm Jo Bloggs, call [number removed] or [number removed], "
                               "[email removed]; NHS no [number removed].")
    assert len(I.scrub("a" * 500)) == I.COMMENT_MAX_CHARS


def test_the_store_adds_up_and_keeps_comments_apart(tmp_path):
    store = I.InsightsStore(str(tmp_path / "insights.db"))
    store.add(Counter({("answer", "utter_charging"): 2}), DAY)
    store.add(Counter({("answer", "utter_charging"): 3, ("messages", ""): 1}), DAY)
    assert store.counts(DAY) == [(DAY, "answer", "utter_charging", 5), (DAY, "messages", "", 1)]
    assert oct((tmp_path / "insights.db").stat().st_mode & 0o777) == "0o600"
    old = dt.datetime(2026, 10, 1, 9, 0)
    new = dt.datetime(2026, 12, 2, 9, 0)
    store.add_comment("utter_charging", ["other"], "old one", old)
    store.add_comment("utter_charging", ["not_answered"], "call 0300 123 4567", new)
    assert [c.comment for c in store.comments(dt.date(2026, 9, 1))] == [
        "call [number removed]", "old one"]
    assert store.delete_comments_before(dt.datetime(2026, 11, 1).timestamp()) == 1
    assert [c.comment for c in store.comments(dt.date(2026, 9, 1))] == ["call [number removed]"]
    store.close()


def test_figures_for_the_period():
    rows = [(DAY, "messages", "", 40), (DAY, "not_sure", "utter_fallback", 3),
            (DAY, "did_you_mean", "utter_clarify", 1), (DAY, "answer", "utter_charging", 7),
            (DAY, "answer", "utter_detail_charging", 2), (DAY, "answer", "utter_clarify", 1),
            (DAY, "helpful_yes", "utter_charging", 4), (DAY, "helpful_no", "utter_charging", 1),
            (DAY, "helpful_no", "utter_ending", 3),
            (DAY, "helpful_no_reason", "hard_to_understand|utter_ending", 2),
            (DAY, "crisis", "", 2), (DAY - dt.timedelta(days=40), "crisis", "", 9)]
    fig = I.figures(rows, 30, DAY)
    assert fig.totals["crisis"] == 2  # the row 40 days ago is outside the last 30
    assert fig.topics == Counter({"charging": 9})  # detail counts to its topic; prompts do not
    assert fig.not_sure_share == 0.1
    assert fig.most_unhelpful() == [("ending", 0, 3), ("charging", 4, 1)]
    assert fig.reasons_by_topic["ending"] == Counter({"hard_to_understand": 2})
    assert list(fig.weeks) == [dt.date(2026, 11, 30)]
    text = I.report(fig, [])
    assert "Conversations started" in text and "10.0% of messages" in text


def test_csv_quotes_keys_with_commas():
    lines = list(I.csv_lines([(DAY, "helpful_no_reason", 'other|utter_x,"y"', 1)]))
    assert lines == ["day,metric,key,count\r\n",
                     '2026-12-02,helpful_no_reason,"other|utter_x,""y""",1\r\n']


def test_the_command_line_prints_the_figures(tmp_path, capsys):
    from bot.__main__ import main

    where = str(tmp_path / "insights.db")
    store = I.InsightsStore(where)
    today = dt.date.today()
    store.add(Counter({("conversations", ""): 12, ("messages", ""): 30, ("crisis", ""): 2,
                       ("answer", "utter_charging"): 9}), today)
    store.add_comment("utter_charging", ["other"], "Clear, thanks", dt.datetime.now())
    store.close()
    assert main(["insights", "--db", where]) == 0
    out = capsys.readouterr().out
    assert "Conversations started        12" in out and "charging" in out
    assert "Clear, thanks" in out
    assert main(["insights", "--db", str(tmp_path / "none.db")]) == 1
