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
