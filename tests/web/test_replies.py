"""Folding Rasa's REST pieces into one widget message per response."""

from web.replies import to_widget_messages


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
         "image": "/static/symbols/a.svg", "custom": {"kind": "easy"}},
        {"text": "B", "buttons": [], "image": None, "custom": {"kind": "detail"}},
    ]


def test_a_second_custom_piece_becomes_its_own_message():
    output = [{"text": "A"}, {"custom": {"kind": "easy"}}, {"custom": {"kind": "contacts"}}]
    messages = to_widget_messages(output, sign)
    assert [m["custom"] for m in messages] == [{"kind": "easy"}, {"kind": "contacts"}]
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
