"""Turns Rasa's REST output into the widget's messages.

Rasa's REST channel splits one response into pieces: the text (with its buttons; without
buttons, one piece per paragraph), then the `custom` data, then the `image`. The widget wants one
message per response. Every response in our domain carries `custom`, which comes after all of
its text, so text pieces are joined until a `custom`, `image` or buttons closes the message, and
pieces with no text are folded into the message before them. Button payloads are signed for
this conversation.

The `custom` a response carries is rewritten for the reader (`public_custom`): source ids become
the citations of content/sources.yml, and our own trace fields (`facts`, the facts.md entries a
text was checked against) are dropped, so nothing a person is sent names our working files.
"""

from __future__ import annotations

from typing import Any, Callable

from bot.sources import citations

# What the widget may receive in `custom`; anything else stays on the server.
PUBLIC_CUSTOM = ("kind", "response", "alt", "checked", "area", "country")
PUBLIC_CONTACT = ("who", "what_for", "phone", "tel", "text", "email", "web", "address", "hours",
                  "audience", "note", "checked")


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


def _public_contact(contact: Any) -> dict[str, Any] | None:
    if not isinstance(contact, dict):
        return None
    public = {k: contact[k] for k in PUBLIC_CONTACT if k in contact}
    public["sources"] = citations(contact.get("sources") or [])
    return public


def public_custom(custom: dict[str, Any]) -> dict[str, Any]:
    public = {k: custom[k] for k in PUBLIC_CUSTOM if k in custom}
    public["sources"] = citations(custom.get("sources") or [])
    if isinstance(custom.get("contacts"), list):
        public["contacts"] = [c for c in map(_public_contact, custom["contacts"]) if c]
    return public


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
            current["custom"] = public_custom(custom)
    return messages
