from bot.topics import NO_DETAIL, detail_response_name, topic_of_last_answer

RESPONSES = {"utter_what_is_117", "utter_detail_what_is_117", "utter_help", "utter_no_detail"}


def test_a_topic_with_detail_names_its_detail_response():
    assert detail_response_name("what_is_117", RESPONSES) == "utter_detail_what_is_117"


def test_unknown_missing_or_odd_topics_get_no_detail():
    for topic in [None, "", "charging", "../etc", "WHAT_IS_117", "x" * 61]:
        assert detail_response_name(topic, RESPONSES) == NO_DETAIL


def test_the_last_answer_with_detail_is_found_newest_first():
    said = ["utter_help", "utter_what_is_117", "utter_welcome"]
    assert topic_of_last_answer(said, RESPONSES) == "what_is_117"


def test_detail_and_plain_responses_are_skipped():
    said = ["utter_detail_what_is_117", "", "action_listen", "utter_help"]
    assert topic_of_last_answer(said, RESPONSES) is None
