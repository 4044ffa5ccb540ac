"""Folding Rasa's REST pieces into one widget message per response."""

from web.replies import public_custom, to_widget_messages


def sign(payload: str) -> str:
    return f"signed:{payload}"


def test_text_custom_and_image_pieces_fold_into_one_message():
    output = [
        {"recipient_id": "x", "text": "A", "buttons": [{"title": "T", "payload": "/p"}]},
        {"recipient_id": "x", "custom": {"kind": "easy"}},
        {"recipient_id": "x", "image": "/static/symbols/a.svg"},
        {"recipient_id": "x", "text": "B"},
        {"recipient_id": "x", "custom": {"kind": "detail"}},
    ]
    assert to_widget_messages(output, sign) == [
        {"text": "A", "buttons": [{"title": "T", "payload": "signed:/p"}],
         "image": "/static/symbols/a.svg", "custom": {"kind": "easy", "sources": []}},
        {"text": "B", "buttons": [], "image": None, "custom": {"kind": "detail", "sources": []}},
    ]


def test_a_second_custom_piece_becomes_its_own_message():
    output = [{"text": "A"}, {"custom": {"kind": "easy"}}, {"custom": {"kind": "contacts"}}]
    messages = to_widget_messages(output, sign)
    assert [m["custom"]["kind"] for m in messages] == ["easy", "contacts"]
    assert messages[1]["text"] is None


def test_pieces_with_nothing_to_show_are_dropped_and_bad_fields_ignored():
    output = [{"recipient_id": "x"}, {"text": 5, "image": ["no"]},
              {"text": "ok", "buttons": [{"title": "", "payload": "/x"}, "junk", {"title": "t"}]}]
    assert to_widget_messages(output, sign) == [
        {"text": "ok", "buttons": [], "image": None, "custom": None}]


def test_paragraphs_rasa_split_are_joined_back_into_one_message():
    output = [{"text": "One."}, {"text": "Two."}, {"text": "Three."},
              {"custom": {"kind": "easy"}}, {"image": "/static/symbols/a.svg"},
              {"text": "Next answer."}, {"custom": {"kind": "easy"}}]
    messages = to_widget_messages(output, sign)
    assert [m["text"] for m in messages] == ["One.\n\nTwo.\n\nThree.", "Next answer."]
    assert messages[0]["image"] == "/static/symbols/a.svg"


def test_source_ids_become_citations_and_our_trace_is_dropped():
    custom = {"kind": "detail", "alt": "A book of law", "checked": "2026-11-30",
              "sources": ["stennett_2002", "no_such_source", "stennett_2002"],
              "facts": "F4.1", "something_internal": 1,
              "contacts": [{"who": "Samaritans", "phone": "116 123", "facts": "section 3",
                            "sources": ["samaritans_contact"], "checked": "2026-11-30"}, "junk"]}
    public = public_custom(custom)
    assert set(public) == {"kind", "alt", "checked", "sources", "contacts"}  # no response given
    # An unknown id is dropped, never shown as a raw id; a repeated one is shown once.
    assert public["sources"] == [{
        "title": "R v Manchester City Council, ex parte Stennett [2002] UKHL 34",
        "plain": "a House of Lords case (2002)", "kind": "Court case", "authority": True,
        "url": "http://www.bailii.org/uk/cases/UKHL/2002/34.html", "checked": "2026-12-01"}]
    [card] = public["contacts"]
    assert "facts" not in card and card["sources"][0]["plain"] == "Samaritans"
