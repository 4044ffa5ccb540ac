"""rasa_extensions/event_types.py remembers event classes by name: the same class as Rasa's own
lookup for every event type, Rasa's default and error for unknown names, and the events read
back unchanged."""

from __future__ import annotations

import pytest
from rasa.shared.core.events import (ActionExecuted, BotUttered, Event, SlotSet, UserUttered,
                                     deserialise_events)
from rasa.shared.utils.common import all_subclasses

from rasa_extensions import event_types


@pytest.fixture
def rasas_own():
    event_types.uninstall()
    yield event_types.RASAS_OWN.__func__
    event_types.install()


def test_every_event_type_resolves_to_rasas_class(rasas_own):
    names = {cls.type_name for cls in all_subclasses(Event)}
    expected = {name: rasas_own(name) for name in names}
    event_types.install()
    assert {name: Event.resolve_by_type(name) for name in names} == expected
    assert {name: Event.resolve_by_type(name) for name in names} == expected  # remembered
    assert len(names) > 20


def test_unknown_names_give_rasas_default_or_error():
    event_types.install()
    assert Event.resolve_by_type("no_such_event", default=SlotSet) is SlotSet
    with pytest.raises(ValueError, match="Unknown event name"):
        Event.resolve_by_type("still_no_such_event")
    assert "no_such_event" not in event_types._found  # a default is never remembered


def test_a_conversation_reads_back_the_same():
    event_types.install()
    events = [UserUttered("do I have to pay", {"name": "ask_charging", "confidence": 0.9}),
              ActionExecuted("action_answer"), BotUttered("It is free."),
              SlotSet("role", "carer"), ActionExecuted("action_listen")]
    assert deserialise_events([e.as_dict() for e in events]) == events
