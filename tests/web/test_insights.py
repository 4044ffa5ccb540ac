"""Feedback and the deployer's insights, through the real create_app() with Rasa faked.

Counts are checked after a scripted set of conversations; a canary name and number typed into
messages and comments must never reach the counts, the logs or (the number) the comments; the
page is absent without S117_INSIGHTS_TOKEN and refuses without it.
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3

import httpx
import pytest
from fastapi.testclient import TestClient

from web.app import create_app
from web.settings import Settings

from .conftest import SECRET, FakeRasa

TOKEN = "deployer-insights-token-0123456789"
CANARY_NAME = "Zebedee Quartermaine"
CANARY_NUMBER = "07700 900461"

ANSWERS = {  # what the fake Rasa answers, by what it is sent
    "/greet": ("easy", "utter_welcome", {}),
    "do i have to pay": ("easy", "utter_charging", {}),
    "blah": ("easy", "utter_fallback", {}),
    "who do i complain to": ("contacts", "utter_complaints_contacts",
                             {"area": {"id": "kent"}, "country": "England", "contacts": []}),
    "/crisis": ("crisis", "utter_crisis", {}),
    "was on a section 2": ("easy", "utter_elig_verdict_not_eligible", {}),
}


def answer(body: dict) -> httpx.Response:
    text = body["message"].lower()
    kind, response, extra = next((v for k, v in ANSWERS.items() if k in text),
                                 ("easy", "utter_clarify", {}))
    return httpx.Response(200, json=[
        {"recipient_id": body["sender"], "text": "An answer."},
        {"recipient_id": body["sender"], "custom": {"kind": kind, "response": response,
                                                    "alt": "x", "sources": [], "facts": "F1.1",
                                                    "checked": "2026-12-01", **extra}}])


def make_client(tmp_path, token: str = TOKEN) -> TestClient:
    fake = FakeRasa()
    fake.handler = answer
    settings = Settings(secret_key=SECRET, rate_limit_per_minute=1000,
                        rate_limit_per_ip_per_minute=1000, insights_token=token,
                        tracker_db=str(tmp_path / "tracker.db"),
                        insights_db=str(tmp_path / "insights.db"))
    return TestClient(create_app(settings, rasa_transport=fake.transport()))


@pytest.fixture
def client(tmp_path):
    with make_client(tmp_path) as test_client:
        yield test_client


def converse(client: TestClient, *messages: str) -> str:
    session = client.post("/api/start", json={}).json()["session"]
    for message in messages:
        assert client.post("/api/chat", json={"message": message, "session": session}
                           ).status_code == 200
    return session


def feedback(client: TestClient, session: str, **body) -> httpx.Response:
    return client.post("/api/feedback", json={"session": session, **body})


def counts(client: TestClient) -> dict[tuple[str, str], int]:
    client.app.state.recorder.flush()
    rows = client.app.state.recorder.store.counts(dt.date.today() - dt.timedelta(days=1))
    return {(metric, key): n for _, metric, key, n in rows}


def sign_in(client: TestClient) -> None:
    response = client.post("/insights/login", content=f"token={TOKEN}",
                           headers={"content-type": "application/x-www-form-urlencoded"},
                           follow_redirects=False)
    assert response.status_code == 303


# ------------------------------------------------------------------ counts
def test_counts_after_a_scripted_set_of_conversations(client):
    for _ in range(3):
        session = converse(client, "do i have to pay", "blah")
        assert feedback(client, session, response="utter_charging", helpful=True).status_code == 200
    session = converse(client, "who do i complain to", "I want to die", "I was on a section 2")
    assert feedback(client, session, response="utter_charging", helpful=False,
                    reasons=["hard_to_understand", "not_answered"],
                    comment="Too many long words").status_code == 200
    found = counts(client)
    assert found[("conversations", "")] == 4
    assert found[("messages", "")] == 9
    assert found[("answer", "utter_welcome")] == 4
    assert found[("answer", "utter_charging")] == 3
    assert found[("not_sure", "utter_fallback")] == 3
    assert found[("crisis", "")] == 1  # "I want to die" went to Rasa as /crisis
    assert found[("contacts_area", "kent")] == 1
    assert found[("verdict", "not_eligible")] == 1
    assert found[("helpful_yes", "utter_charging")] == 3
    assert found[("helpful_no", "utter_charging")] == 1
    assert found[("helpful_no_reason", "hard_to_understand|utter_charging")] == 1
    assert found[("helpful_no_reason", "not_answered|utter_charging")] == 1
    [comment] = client.app.state.recorder.store.comments(dt.date.today())
    assert (comment.response, comment.reasons, comment.comment) == (
        "utter_charging", ["hard_to_understand", "not_answered"], "Too many long words")


def test_nothing_personal_reaches_the_counts_or_the_logs(client, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    session = converse(client, f"My name is {CANARY_NAME}, call me on {CANARY_NUMBER}",
                       f"do i have to pay? {CANARY_NAME}")
    assert feedback(client, session, response="utter_charging", helpful=False, reasons=["other"],
                    comment=f"I am {CANARY_NAME}, ring {CANARY_NUMBER}").status_code == 200
    counts(client)
    with sqlite3.connect(tmp_path / "insights.db") as db:
        count_rows = db.execute("select * from insight_counts").fetchall()
        comment_rows = db.execute("select comment from feedback_comments").fetchall()
    flat = " ".join(str(v) for row in count_rows for v in row)
    assert count_rows and CANARY_NAME.split()[0] not in flat and "900461" not in flat
    assert session not in flat and "testclient" not in flat  # no session, no address
    assert comment_rows == [(f"I am {CANARY_NAME}, ring [number removed]",)]
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert CANARY_NAME not in logged and "900461" not in logged


# ------------------------------------------------------------------ feedback refuses bad input
@pytest.mark.parametrize(("body", "status"), [
    ({"response": "utter_not_ours", "helpful": True}, 400),
    ({"response": "utter_charging", "helpful": "yes"}, 422),
    ({"response": "utter_charging", "helpful": False, "reasons": ["boring"]}, 422),
    ({"response": "utter_charging", "helpful": True, "reasons": ["other"]}, 422),
    ({"response": "utter_charging", "helpful": False, "comment": "x" * 301}, 413),
])
def test_feedback_refuses_what_it_did_not_offer(client, body, status):
    session = converse(client)
    assert feedback(client, session, **body).status_code == status
    assert ("helpful_no", "utter_charging") not in counts(client)


def test_feedback_needs_a_real_session(client):
    assert client.post("/api/feedback", json={"session": "made.up", "response": "utter_charging",
                                              "helpful": True}).status_code == 403
    assert client.post("/api/feedback", json={"response": "utter_charging",
                                              "helpful": True}).status_code == 400


# ------------------------------------------------------------------ the insights page
def test_without_a_token_there_is_no_insights_page(tmp_path):
    with make_client(tmp_path, token="") as client:
        for path in ("/insights", "/insights/counts.csv"):
            assert client.get(path).status_code == 404
        assert client.post("/insights/login", content="token=x").status_code == 404


def test_the_page_asks_for_the_key_and_ignores_one_in_the_url(client):
    for url in ("/insights", f"/insights?token={TOKEN}"):
        page = client.get(url)
        assert page.status_code == 200 and 'type="password"' in page.text
        assert "Topics people asked about" not in page.text
    assert client.get("/insights/counts.csv").status_code == 401


def test_a_wrong_key_is_refused_and_tries_are_limited(client):
    def attempt(token):
        return client.post("/insights/login", content=f"token={token}",
                           headers={"content-type": "application/x-www-form-urlencoded"},
                           follow_redirects=False)
    for _ in range(5):
        refused = attempt("wrong-token")
        assert refused.status_code == 403 and "not right" in refused.text
        assert "set-cookie" not in refused.headers
    assert attempt(TOKEN).status_code == 429  # even the right key waits a minute


def test_the_right_key_shows_the_figures_and_the_csv(client):
    session = converse(client, "do i have to pay", "blah")
    feedback(client, session, response="utter_charging", helpful=False, reasons=["other"],
             comment="It was fine, mostly")
    sign_in(client)
    cookie = client.cookies.get("s117_insights")
    assert cookie and TOKEN not in cookie
    page = client.get("/insights")
    assert page.status_code == 200
    for text in ("Topics people asked about", "<svg", "<caption>Answers given, by topic",
                 "It was fine, mostly", "50.0% of messages", "Download the counts (CSV)"):
        assert text in page.text, text
    csv = client.get("/insights/counts.csv?days=90")
    assert csv.headers["content-type"].startswith("text/csv")
    lines = csv.text.splitlines()
    assert lines[0] == "day,metric,key,count"
    assert f"{dt.date.today().isoformat()},answer,utter_charging,1" in lines
    assert "It was fine" not in csv.text  # comments are not counts
    client.post("/insights/logout", follow_redirects=False)
    client.cookies.clear()
    assert "Topics people asked about" not in client.get("/insights").text


def test_a_script_may_use_the_key_as_a_bearer_token(client):
    converse(client, "do i have to pay")
    ok = client.get("/insights/counts.csv", headers={"authorization": f"Bearer {TOKEN}"})
    assert ok.status_code == 200 and "utter_charging" in ok.text
    assert client.get("/insights/counts.csv",
                      headers={"authorization": "Bearer nope"}).status_code == 401


def test_a_cookie_from_another_key_or_server_is_refused(client):
    converse(client, "do i have to pay")
    client.cookies.set("s117_insights", "9999999999.0123abcd", path="/insights")
    assert "Topics people asked about" not in client.get("/insights").text
