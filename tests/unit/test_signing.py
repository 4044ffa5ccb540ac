import pytest

from web import signing

KEY = "k" * 40


def test_a_minted_session_opens_to_its_conversation_id():
    session = signing.mint_session(KEY)
    conversation = signing.conversation_id(KEY, session)
    assert session.startswith(conversation + ".")
    assert len(conversation) >= 24


@pytest.mark.parametrize("bad", ["", "nodot", ".sig", "id.", "id.wrongsig", "x" * 200])
def test_bad_sessions_are_refused(bad):
    with pytest.raises(signing.BadSignature):
        signing.conversation_id(KEY, bad)


def test_a_session_from_another_key_is_refused():
    with pytest.raises(signing.BadSignature):
        signing.conversation_id(KEY, signing.mint_session("other" * 10))


def test_buttons_round_trip_only_in_their_own_conversation():
    token = signing.sign_button(KEY, "conv-a", '/more_detail{"topic": "x"}')
    assert signing.open_button(KEY, "conv-a", token) == '/more_detail{"topic": "x"}'
    with pytest.raises(signing.BadSignature):
        signing.open_button(KEY, "conv-b", token)


def test_a_tampered_button_is_refused():
    token = signing.sign_button(KEY, "c", "/help")
    body, mac = token[1:].split(".")
    forged = signing.sign_button(KEY, "c", "/crisis").split(".")[0] + "." + mac
    with pytest.raises(signing.BadSignature):
        signing.open_button(KEY, "c", forged)
    with pytest.raises(signing.BadSignature):
        signing.open_button(KEY, "c", "~%%%.abc")
