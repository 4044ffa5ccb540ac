from bot.readability import scores


def test_easy_words_score_as_easy_read_without_a_network():
    fre, grade = scores("You get free help.\n\nThe NHS and your council give it.")
    assert fre >= 80 and grade <= 4


def test_long_legal_words_score_as_hard():
    fre, grade = scores("Notwithstanding the aforementioned jurisprudential considerations, "
                        "the statutory obligation necessitates comprehensive reassessment.")
    assert fre < 30 and grade > 12


def test_numbers_the_dictionary_lacks_do_not_break_it():
    assert scores("Section 117 and 37/41.")[0] > 0


def test_the_report_pairs_each_topic_with_its_detail_and_skips_the_rest():
    from scripts.readability_report import topic_rows

    responses = {
        "utter_charging": [{"text": "Yes. It is free."}, {"text": "It is free for them."}],
        "utter_detail_charging": [{"text": "Section 117 services are not means-tested."}],
        "utter_greet": [{"text": "Hello."}],
    }
    rows = topic_rows(responses)
    assert [row[0] for row in rows] == ["charging"]
    topic, fre, grade, longest, detail_grade, detail_longest = rows[0]
    assert (longest, detail_longest) == (5, 6) and fre > 80 and detail_grade > grade
