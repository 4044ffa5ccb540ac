"""LongMessageRouter: a message of two or more sentences is marked nlu_fallback (so its rule
runs action_answer), the ranking underneath kept; a one-sentence message is left alone."""

from __future__ import annotations

from rasa.shared.nlu.training_data.message import Message

from nlu_components.long_message_router import LongMessageRouter


def message(sentences: int, intent: str = "greet", text: str = "x") -> Message:
    m = Message(data={"text": text})
    m.set("intent", {"name": intent, "confidence": 0.9})
    m.set("intent_ranking", [{"name": intent, "confidence": 0.9},
                             {"name": "ask_charging", "confidence": 0.1}])
    m.set("sentences", [{"text": "s", "asks": 0.0, "ranking": []}] * sentences)
    return m


def test_a_story_goes_to_the_understanding_action_with_its_ranking_kept():
    router = LongMessageRouter(LongMessageRouter.get_default_config())
    [routed] = router.process([message(3)])
    assert routed.get("intent") == {"name": "nlu_fallback", "confidence": 0.9}
    assert [r["name"] for r in routed.get("intent_ranking")] == ["nlu_fallback", "greet",
                                                                 "ask_charging"]


def test_one_sentence_and_an_existing_fallback_are_left_alone():
    router = LongMessageRouter(LongMessageRouter.get_default_config())
    [single] = router.process([message(1)])
    assert single.get("intent")["name"] == "greet"
    [fallback] = router.process([message(3, "nlu_fallback")])
    assert [r["name"] for r in fallback.get("intent_ranking")] == ["nlu_fallback", "ask_charging"]


def test_a_follow_up_that_would_start_the_checker_goes_to_the_understanding_action():
    router = LongMessageRouter(LongMessageRouter.get_default_config())
    [follow_up] = router.process([message(1, "check_eligibility", "how do I ask for one?")])
    assert follow_up.get("intent")["name"] == "nlu_fallback"
    [plain] = router.process([message(1, "check_eligibility", "am I eligible for 117")])
    assert plain.get("intent")["name"] == "check_eligibility"
