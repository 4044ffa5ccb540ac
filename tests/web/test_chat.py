"""POST /api/start and /api/chat against a fake Rasa: replies, failures and bad input."""

from __future__ import annotations

import httpx
import pytest
from fastapi.testclient import TestClient

from web.app import create_app

from web import signing
from web.messages import UNAVAILABLE_TEXT
from web.settings import Settings

from .conftest import SECRET


def start(client):
    response = client.post("/api/start", json={})
    assert response.status_code == 200
    return response.json()


def test_start_mints_a_signed_session_and_shows_the_welcome(client, fake_rasa):
    body = start(client)
    conversation = signing.conversation_id(SECRET, body["session"])
    assert fake_rasa.sent == [{"sender": conversation, "message": "/greet"}]
    [message] = body["messages"]
    assert message["text"] == "Hello.\n\nPick a topic."
    assert message["image"] == "/static/symbols/hello.svg"
    # Source ids become citations; the facts.md trace stays on the server.
    [citation] = message["custom"]["sources"]
    assert citation["title"] == "Mental Health Act 1983, section 117(1)"
    assert citation["url"].startswith("https://www.legislation.gov.uk/")
    assert "facts" not in message["custom"]
    assert message["buttons"][0]["title"] == "What is section 117?"
    # The browser gets a signed token, not the raw intent payload.
    assert message["buttons"][0]["payload"] != "/ask_what_is_117"


def test_chat_without_a_session_mints_one(client, fake_rasa):
    response = client.post("/api/chat", json={"message": "hello"})
    assert response.status_code == 200
    session = response.json()["session"]
    assert fake_rasa.sent[-1] == {"sender": signing.conversation_id(SECRET, session),
                                  "message": "hello"}


def test_each_new_session_is_different(client):
    assert start(client)["session"] != start(client)["session"]


def test_the_same_session_keeps_the_same_conversation(client, fake_rasa):
    session = start(client)["session"]
    client.post("/api/chat", json={"message": "one", "session": session})
    client.post("/api/chat", json={"message": "two", "session": session})
    assert fake_rasa.sent[1]["sender"] == fake_rasa.sent[2]["sender"]


@pytest.mark.parametrize("forged", [
    "someone-elses-id",
    "abc.def",
    "",
    signing.mint_session("a-different-server-key-0123456789abcdef"),
])
def test_a_forged_session_is_refused_and_never_reaches_rasa(client, fake_rasa, forged):
    response = client.post("/api/chat", json={"message": "hello", "session": forged})
    assert response.status_code == 403
    assert "start again" in response.json()["error"]
    assert fake_rasa.sent == []


def test_a_session_with_its_id_changed_is_refused(client, fake_rasa):
    session = start(client)["session"]
    _, _, mac = session.partition(".")
    response = client.post("/api/chat", json={"message": "hi", "session": f"other.{mac}"})
    assert response.status_code == 403


@pytest.mark.parametrize("typed", ["/crisis", "/greet", "//more_detail{\"topic\":\"x\"}",
                                   "/restart"])
def test_typed_slash_text_never_forces_an_intent(client, fake_rasa, typed):
    session = start(client)["session"]
    client.post("/api/chat", json={"message": typed, "session": session})
    sent = fake_rasa.sent[-1]["message"]
    assert not sent.startswith("/")
    assert sent == typed.lstrip("/")


def test_a_bare_slash_is_refused(client, fake_rasa):
    session = start(client)["session"]
    response = client.post("/api/chat", json={"message": "///", "session": session})
    assert response.status_code == 422
    assert len(fake_rasa.sent) == 1


def test_an_offered_button_sends_its_payload(client, fake_rasa):
    body = start(client)
    token = body["messages"][0]["buttons"][0]["payload"]
    response = client.post("/api/chat", json={"message": token, "session": body["session"]})
    assert response.status_code == 200
    assert fake_rasa.sent[-1]["message"] == "/ask_what_is_117"


def test_a_button_from_another_conversation_is_refused(client, fake_rasa):
    first, second = start(client), start(client)
    token = first["messages"][0]["buttons"][0]["payload"]
    response = client.post("/api/chat", json={"message": token, "session": second["session"]})
    assert response.status_code == 400
    assert len(fake_rasa.sent) == 2


def test_a_made_up_button_is_refused(client, fake_rasa):
    session = start(client)["session"]
    response = client.post("/api/chat", json={"message": "~L2NyaXNpcw.AAAAAAAA",
                                              "session": session})
    assert response.status_code == 400


def test_crisis_words_are_sent_as_the_crisis_intent(client, fake_rasa):
    session = start(client)["session"]
    client.post("/api/chat", json={"message": "he says hell kil himself", "session": session})
    assert fake_rasa.sent[-1]["message"] == "/crisis"
    # The words go beside it, so the situation they tell is still noted.
    assert fake_rasa.sent[-1]["metadata"] == {"crisis_text": "he says hell kil himself"}


def test_other_messages_carry_no_metadata(client, fake_rasa):
    session = start(client)["session"]
    client.post("/api/chat", json={"message": "do i have to pay", "session": session})
    assert fake_rasa.sent[-1] == {"sender": fake_rasa.sent[-1]["sender"],
                                  "message": "do i have to pay"}


@pytest.mark.parametrize("status", [500, 502, 503, 404])
def test_a_rasa_error_becomes_a_friendly_message_with_crisis_numbers(client, fake_rasa, status):
    fake_rasa.handler = lambda body: httpx.Response(status, text="boom")
    response = client.post("/api/chat", json={"message": "hello"})
    assert response.status_code == 200
    [message] = response.json()["messages"]
    assert message["text"] == UNAVAILABLE_TEXT
    for number in ["999", "111", "116 123", "85258"]:
        assert number in message["text"]


@pytest.mark.parametrize("failure", [lambda body: httpx.Response(500, text="boom"),
                                     lambda body: httpx.Response(200, json=[])])
def test_a_crisis_message_gets_the_crisis_answer_even_when_rasa_fails(client, fake_rasa,
                                                                     failure):
    fake_rasa.handler = failure
    response = client.post("/api/chat", json={"message": "i want to end it all tonight"})
    [message] = response.json()["messages"]
    assert fake_rasa.sent[-1]["message"] == "/crisis"
    assert message["text"].startswith("I am sorry things are so hard right now.")
    assert "cannot answer" not in message["text"]
    assert message["custom"]["kind"] == "crisis"
    for number in ["999", "111", "116 123", "85258"]:
        assert number in message["text"]


def test_an_empty_rasa_reply_becomes_the_friendly_message(client, fake_rasa):
    fake_rasa.handler = lambda body: httpx.Response(200, json=[])
    [message] = client.post("/api/chat", json={"message": "hello"}).json()["messages"]
    assert message["text"] == UNAVAILABLE_TEXT


def test_a_malformed_rasa_reply_becomes_the_friendly_message(client, fake_rasa):
    fake_rasa.handler = lambda body: httpx.Response(200, text="<html>not json</html>")
    [message] = client.post("/api/chat", json={"message": "hello"}).json()["messages"]
    assert message["text"] == UNAVAILABLE_TEXT


def test_a_rasa_timeout_becomes_the_friendly_message(client, fake_rasa):
    def slow(body):
        raise httpx.ReadTimeout("too slow")
    fake_rasa.handler = slow
    response = client.post("/api/chat", json={"message": "hello"})
    assert response.status_code == 200
    assert response.json()["messages"][0]["text"] == UNAVAILABLE_TEXT


def test_rasa_refusing_connections_becomes_the_friendly_message(client, fake_rasa):
    def refused(body):
        raise httpx.ConnectError("refused")
    fake_rasa.handler = refused
    assert client.post("/api/start").json()["messages"][0]["text"] == UNAVAILABLE_TEXT


def test_the_rasa_timeouts_are_connect_2s_and_read_10s(client):
    timeout = client.app.state.rasa.replicas[0]._client.timeout
    assert (timeout.connect, timeout.read) == (2.0, 10.0)


def test_an_over_long_message_is_refused(client, fake_rasa):
    response = client.post("/api/chat", json={"message": "a" * 1001})
    assert response.status_code == 413
    assert "1000" in response.json()["error"]
    assert fake_rasa.sent == []


def test_a_message_of_exactly_the_limit_is_accepted(client):
    assert client.post("/api/chat", json={"message": "a" * 1000}).status_code == 200


def test_an_over_large_body_is_refused(client, fake_rasa):
    body = '{"message": "hi", "padding": "' + "x" * 10_000 + '"}'
    response = client.post("/api/chat", content=body,
                           headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert fake_rasa.sent == []


@pytest.mark.parametrize("body,status", [
    ("not json", 400),
    ("[1, 2]", 400),
    ('{"message": 5}', 422),
    ('{"message": null}', 422),
    ('{"text": "hello"}', 422),
    ('{"message": "hi", "session": 42}', 400),
    ('{"message": "   "}', 422),
    ("\xff\xfe", 400),
])
def test_malformed_bodies_get_a_clear_4xx(client, fake_rasa, body, status):
    response = client.post("/api/chat", content=body.encode("latin-1"),
                           headers={"content-type": "application/json"})
    assert response.status_code == status
    assert isinstance(response.json()["error"], str)
    assert fake_rasa.sent == []


def test_too_many_messages_in_one_conversation_are_slowed_down(fake_rasa):
    app = create_app(Settings(secret_key=SECRET, rate_limit_per_minute=3),
                     rasa_transport=fake_rasa.transport())
    with TestClient(app) as client:
        session = client.post("/api/start").json()["session"]
        codes = [client.post("/api/chat", json={"message": "hi", "session": session}).status_code
                 for _ in range(5)]
        # A different conversation is not held back by the busy one.
        assert client.post("/api/chat", json={"message": "hi"}).status_code == 200
    assert codes == [200, 200, 200, 429, 429]


def test_too_many_messages_from_one_address_are_slowed_down(fake_rasa):
    app = create_app(Settings(secret_key=SECRET, rate_limit_per_ip_per_minute=4),
                     rasa_transport=fake_rasa.transport())
    with TestClient(app) as client:
        codes = [client.post("/api/chat", json={"message": "hi"}).status_code for _ in range(6)]
    assert codes == [200, 200, 200, 200, 429, 429]


def test_no_message_text_is_logged(client, fake_rasa, caplog):
    caplog.set_level("DEBUG")
    client.post("/api/chat", json={"message": "my secret diagnosis is zebra"})
    assert caplog.records, "the chat should log its outcome"
    assert all("zebra" not in record.getMessage() for record in caplog.records)


@pytest.mark.parametrize("area,greeting", [
    ("kent", '/greet{"area": "kent"}'),
    ("Isle of Wight", '/greet{"area": "isle-of-wight"}'),
    ("Leeds", "/greet"),
    ("", "/greet"),
])
def test_a_partner_area_is_checked_against_the_contacts_before_it_reaches_rasa(
        client, fake_rasa, area, greeting):
    assert client.post("/api/start", json={"area": area}).status_code == 200
    assert fake_rasa.sent[-1]["message"] == greeting


@pytest.mark.parametrize("area", [42, ["kent"], "x" * 101])
def test_a_malformed_area_is_refused(client, fake_rasa, area):
    response = client.post("/api/start", json={"area": area})
    assert response.status_code == 400
    assert fake_rasa.sent == []
