"""Turns Rasa's REST output into the widget's messages.

Rasa's REST channel splits one response into pieces: the text (with its buttons; without
buttons, one piece per paragraph), then the `custom` data, then the `image`. The widget wants one
message per response. Every response in our domain carries `custom`, which comes after all of
its text, so text pieces are joined until a `custom`, `image` or buttons closes the message, and
pieces with no text are folded into the message before them. Button payloads are signed for
this conversation.
"""

from __future__ import annotations

from typing import Any, Callable


def _empty_message() -> dict[str, Any]:
    return {"text": None, "buttons": [], "image": None, "custom": None}


def _clean_buttons(raw: Any, sign: Callable[[str], str]) -> list[dict[str, str]]:
    buttons = []
    for button in raw if isinstance(raw, list) else []:
        if not isinstance(button, dict):
            continue
        title, payload = button.get("title"), button.get("payload")
        if isinstance(title, str) and isinstance(payload, str) and title and payload:
            buttons.append({"title": title, "payload": sign(payload)})
    return buttons


def to_widget_messages(rasa_output: list[dict[str, Any]],
                       sign: Callable[[str], str]) -> list[dict[str, Any]]:
    messages: list[dict[str, Any]] = []
    for piece in rasa_output:
        text = piece.get("text") if isinstance(piece.get("text"), str) else None
        image = piece.get("image") if isinstance(piece.get("image"), str) else None
        custom = piece.get("custom") if isinstance(piece.get("custom"), dict) else None
        buttons = _clean_buttons(piece.get("buttons"), sign)
        current = messages[-1] if messages else None
        if (current is not None and text is not None and not buttons and image is None
                and custom is None and current["text"] is not None and not current["buttons"]
                and current["image"] is None and current["custom"] is None):
            current["text"] += "\n\n" + text  # another paragraph of the same response
            continue
        can_fold = (current is not None and text is None and not buttons
                    and (image is None or current["image"] is None)
                    and (custom is None or current["custom"] is None))
        if not can_fold:
            if text is None and image is None and custom is None and not buttons:
                continue  # nothing a person could see
            current = _empty_message()
            messages.append(current)
            current["text"] = text
            current["buttons"] = buttons
        if image is not None:
            current["image"] = image
        if custom is not None:
            current["custom"] = custom
    return messages
