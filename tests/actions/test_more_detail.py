from actions.more_detail import ActionMoreDetail

from .conftest import bot_event, make_tracker


def run(dispatcher, tracker, domain):
    return ActionMoreDetail().run(dispatcher, tracker, domain)


def test_the_button_topic_picks_its_detail(dispatcher, domain):
    tracker = make_tracker(intent="more_detail",
                           entities=[{"entity": "topic", "value": "what_is_117"}])
    assert run(dispatcher, tracker, domain) == []
    assert [m["response"] for m in dispatcher.messages] == ["utter_detail_what_is_117"]


def test_typed_more_detail_follows_the_last_answer(dispatcher, domain):
    tracker = make_tracker(intent="more_detail",
                           events=[bot_event("utter_what_is_117"), bot_event("utter_help")])
    run(dispatcher, tracker, domain)
    assert [m["response"] for m in dispatcher.messages] == ["utter_detail_what_is_117"]


def test_no_topic_and_no_answer_yet_says_there_is_no_detail(dispatcher, domain):
    run(dispatcher, make_tracker(intent="more_detail", events=[bot_event("utter_welcome")]),
        domain)
    assert [m["response"] for m in dispatcher.messages] == ["utter_no_detail"]


def test_a_made_up_topic_says_there_is_no_detail(dispatcher, domain):
    tracker = make_tracker(entities=[{"entity": "topic", "value": "tax_returns"}])
    run(dispatcher, tracker, domain)
    assert [m["response"] for m in dispatcher.messages] == ["utter_no_detail"]
