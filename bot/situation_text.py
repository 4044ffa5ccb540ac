"""The easy-read words for what we understood of someone's situation.

"Thank you. I have noted this: You care for someone. They were on a section 3. They are in a
care home now." Short sentences in the person's own point of view (patient, carer, advocate),
checked by the same readability rules as every answer (tests/content).
"""

from __future__ import annotations

from bot.situation import ADVOCATE, CARER, NOT_SECTIONED, Situation

_PLACE = {"hospital": "in hospital", "leave": "on leave from hospital", "home": "at home",
          "care_home": "in a care home", "supported_living": "in supported housing",
          "prison": "in prison"}
_ORDER = {"cto": "on a CTO", "conditional_discharge": "conditionally discharged",
          "guardianship": "under guardianship"}
_EVENT = {"charged": "asked to pay", "top_up": "asked for a top-up",
          "gp_discharge": "sent back to the GP", "ended": "told 117 has ended",
          "refused": "refused help"}


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def summary(situation: Situation) -> str:
    """One to four short sentences; "" when nothing is known."""
    role = situation.role
    who, be, were = {CARER: ("They", "are", "were"), ADVOCATE: ("Your client", "is", "was")
                     }.get(role or "", ("You", "are", "were"))
    sentences: list[str] = []
    if role == CARER:
        sentences.append("You are asking for someone you care for.")
    elif role == ADVOCATE:
        sentences.append("You are asking for a client.")
    if situation.sections == (NOT_SECTIONED,):
        sentences.append(f"{who} {were} not sectioned.")
    elif situation.sections:
        named = _join([f"a section {s}" for s in situation.sections])
        sentences.append(f"{who} {were} on {named}.")
    states = [_ORDER[o] for o in situation.orders if o in _ORDER]
    if situation.place in _PLACE:
        states.append(_PLACE[situation.place])
    if states:
        sentences.append(f"{who} {be} {_join(states)} now.")
    happened = [_EVENT[e] for e in situation.events if e in _EVENT]
    if happened:
        sentences.append(f"{who} {were} {_join(happened)}.")
    if situation.country:
        sentences.append(f"This is in {situation.country}.")
    # A bubble holds at most 3 sentences (DESIGN.md): a blank line after every 2.
    return "\n\n".join(" ".join(sentences[i:i + 2]) for i in range(0, len(sentences), 2))


def topics_for(situation: Situation) -> list[str]:
    """The questions that fit a situation best, as intents, likeliest first."""
    events = set(situation.events)
    topics: list[str] = ["ask_wales"] if situation.country == "Wales" else []
    if "ended" in events:
        topics.append("ask_ending")
    if "gp_discharge" in events:
        topics.append("ask_end_gp_discharge")
    if "top_up" in events:
        topics.append("ask_top_up")
    if "charged" in events:
        topics += ["ask_charging", "ask_refund"]
    if situation.sections or situation.orders:
        topics.append("check_eligibility")
    if situation.place in ("care_home", "supported_living"):
        topics.append("ask_charging")
    if situation.place in ("hospital", "leave"):
        topics.append("ask_when_starts")
    topics += ["ask_services", "ask_what_is_117"]
    return list(dict.fromkeys(topics))
