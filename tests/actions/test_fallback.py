"""action_clarify: offers the two likeliest topics as buttons, titles from the domain menu."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import ActionClarify, best_topic_buttons

DOMAIN = {
    "responses": {
        "utter_topics": [{"text": "Topics", "buttons": [
            {"title": "Do I have to pay?", "payload": "/ask_charging"},
            {"title": "I was charged. Can I get it back?", "payload": "/ask_refund"},
            {"title": "Housing and rent", "payload": "/ask_housing"},
        ]}],
        "utter_clarify": [{"text": "Did you mean one of these?"}],
        "utter_clarify_other": [{"text": "Or see all the topics.",
                                 "buttons": [{"title": "Something else", "payload": "/help"}]}],
        "utter_fallback": [{"text": "Sorry"}],
    }
}


def tracker(ranking: list[dict]) -> Tracker:
    latest = {"text": "bill", "intent": {"name": "nlu_fallback", "confidence": 0.5},
              "intent_ranking": ranking, "entities": []}
    return Tracker("test", {}, latest, [], False, None, {}, "action_listen")


def run(ranking: list[dict]) -> tuple[list[dict], CollectingDispatcher]:
    dispatcher = CollectingDispatcher()
    events = ActionClarify().run(dispatcher, tracker(ranking), DOMAIN)
    return events, dispatcher


def test_offers_the_two_best_topics_first_then_something_else():
    events, dispatcher = run([
        {"name": "nlu_fallback", "confidence": 0.55},
        {"name": "ask_refund", "confidence": 0.41},
        {"name": "greet", "confidence": 0.30},
        {"name": "ask_charging", "confidence": 0.20},
        {"name": "ask_housing", "confidence": 0.05},
    ])
    assert events == []
    assert [m["response"] for m in dispatcher.messages] == ["utter_clarify", "utter_clarify_other"]
    assert dispatcher.messages[0]["buttons"] == [
        {"title": "I was charged. Can I get it back?", "payload": "/ask_refund"},
        {"title": "Do I have to pay?", "payload": "/ask_charging"},
    ]
    assert dispatcher.messages[1]["buttons"] == []  # its buttons are the response's own


def shown_buttons(messages: list[dict], domain: dict) -> list[dict]:
    """What the user sees, in order: each message's response buttons, then the action's
    (rasa.core.actions.action.RemoteAction._utter_responses)."""
    shown = []
    for message in messages:
        shown += domain["responses"][message["response"]][0].get("buttons") or []
        shown += message["buttons"]
    return shown


def test_real_domain_shows_topics_first_and_something_else_and_need_help_now_once_each():
    from tests.content.checks import load_responses
    domain = {"responses": load_responses()}
    rankings = [
        [{"name": "nlu_fallback", "confidence": 0.6}, {"name": "ask_refund", "confidence": 0.4},
         {"name": "ask_charging", "confidence": 0.3}],
        # a ranking whose best "topics" are the help and crisis intents themselves
        [{"name": "nlu_fallback", "confidence": 0.6}, {"name": "help", "confidence": 0.4},
         {"name": "ask_housing", "confidence": 0.3}, {"name": "crisis", "confidence": 0.2}],
    ]
    for ranking in rankings:
        dispatcher = CollectingDispatcher()
        ActionClarify().run(dispatcher, tracker(ranking), domain)
        shown = shown_buttons(dispatcher.messages, domain)
        titles = [b["title"] for b in shown]
        payloads = [b["payload"] for b in shown]
        assert len(titles) == len(set(titles)) and len(payloads) == len(set(payloads)), titles
        assert titles.count("Something else") == 1 and titles.count("Need help now") == 1
        assert titles[-2:] == ["Something else", "Need help now"], titles
        assert payloads[0] not in ("/help", "/crisis"), titles


def test_a_menu_button_the_question_already_has_is_not_sent_again():
    domain = {"responses": {**DOMAIN["responses"], "utter_topics": [{"text": "Topics", "buttons": [
        {"title": "What can I ask?", "payload": "/help"},
        {"title": "Housing and rent", "payload": "/ask_housing"}]}]}}
    dispatcher = CollectingDispatcher()
    ActionClarify().run(dispatcher, tracker([{"name": "help", "confidence": 0.5},
                                             {"name": "ask_housing", "confidence": 0.4}]), domain)
    assert dispatcher.messages[0]["buttons"] == [
        {"title": "Housing and rent", "payload": "/ask_housing"}]


def test_unsure_crisis_words_still_get_the_crisis_numbers():
    events, dispatcher = run([{"name": "nlu_fallback", "confidence": 0.7},
                              {"name": "crisis", "confidence": 0.45},
                              {"name": "ask_ending", "confidence": 0.40}])
    assert events == []
    assert [m["response"] for m in dispatcher.messages] == ["utter_crisis"]


def test_crisis_second_in_the_ranking_is_still_a_question_with_the_help_button():
    events, dispatcher = run([{"name": "nlu_fallback", "confidence": 0.7},
                              {"name": "ask_housing", "confidence": 0.45},
                              {"name": "crisis", "confidence": 0.40}])
    assert events == []
    assert [m["response"] for m in dispatcher.messages] == ["utter_clarify", "utter_clarify_other"]
    assert dispatcher.messages[0]["buttons"][0]["payload"] == "/ask_housing"


def test_no_topic_in_the_ranking_gives_the_plain_fallback():
    events, dispatcher = run([{"name": "nlu_fallback", "confidence": 0.55},
                              {"name": "greet", "confidence": 0.4}])
    assert events == []
    assert [m["response"] for m in dispatcher.messages] == ["utter_fallback"]
    assert dispatcher.messages[0]["buttons"] == []


def test_empty_ranking_gives_the_plain_fallback():
    events, dispatcher = run([])
    assert events == [] and dispatcher.messages[0]["response"] == "utter_fallback"


def test_one_topic_only_is_offered_alone():
    buttons = best_topic_buttons([{"name": "ask_housing", "confidence": 0.3}],
                                 DOMAIN["responses"]["utter_topics"][0]["buttons"])
    assert buttons == [{"title": "Housing and rent", "payload": "/ask_housing"}]


def test_real_domain_menu_lists_every_topic_intent():
    import yaml

    from tests.content.checks import ROOT, load_responses, topic_names
    responses = load_responses()
    intents = set(yaml.safe_load((ROOT / "domain.yml").read_text())["intents"])
    menu = {b["payload"].lstrip("/") for b in responses["utter_topics"][0]["buttons"]}
    assert menu <= intents
    # every easy-read topic answer of this issue can be offered by the clarify question
    for topic in topic_names(responses):
        if f"ask_{topic}" in intents:
            assert f"ask_{topic}" in menu, topic
