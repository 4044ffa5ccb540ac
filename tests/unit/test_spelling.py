"""bot.spelling and its NLU component: misspelt words put right, real words and names kept."""

from __future__ import annotations

from bot.spelling import Speller, english_frequencies

VOCABULARY = {"review": 9, "social": 12, "months": 5, "early": 7, "eligible": 20, "tested": 3,
              "worcester": 2, "needs": 30, "section": 80, "sectioned": 40, "leave": 6,
              "mean": 4, "meat": 2}


def speller(protected=()):
    return Speller(VOCABULARY, english_frequencies(), protected)


def test_a_misspelt_word_becomes_the_word_the_examples_use():
    assert speller().correct("how do i ask for a reveiw") == "how do i ask for a review"
    assert speller().correct("my socail worker sed 12 munths") == "my social worker sed 12 months"
    assert speller().correct("Sectoin 3, is that right") == "Section 3, is that right"


def test_real_words_short_words_and_ties_are_left_alone():
    text = "nearly ineligible, texted, leave, stil, meab"
    # nearly/early, ineligible/eligible, texted/tested: real words about as common;
    # "stil" too short; "meab" is as near "mean" as "meat"
    assert speller().correct(text) == text


def test_names_and_places_are_kept():
    assert speller().correct("we live near Dorchester now") == "we live near Dorchester now"
    assert speller(protected={"leeds"}).correct("i live in leeds") == "i live in leeds"
    assert speller().correct("i live in leeds") == "i live in needs"  # what protection stops


def test_the_component_learns_the_examples_words_and_corrects_only_what_it_reads(tmp_path):
    from rasa.engine.graph import ExecutionContext, GraphSchema
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource
    from rasa.shared.nlu.constants import INTENT, TEXT
    from rasa.shared.nlu.training_data.message import Message
    from rasa.shared.nlu.training_data.training_data import TrainingData

    from nlu_components.spelling_corrector import SpellingCorrector

    storage, resource = LocalModelStorage(tmp_path), Resource("spelling")
    context = ExecutionContext(GraphSchema({}), node_name="spelling")
    examples = [Message({TEXT: t, INTENT: "ask_reviews"}) for t in
                ("how often is my review", "can i ask for a review", "i want a reveiw")]
    data = TrainingData(examples)
    trained = SpellingCorrector.create({}, storage, resource, context)
    trained.train(data)
    assert [m.get(TEXT) for m in trained.process_training_data(data).training_examples] == [
        "how often is my review", "can i ask for a review", "i want a reveiw"]  # as written
    loaded = SpellingCorrector.load({}, storage, resource, context)
    messages = [Message({TEXT: "when is my next reveiw"}), Message({TEXT: "/ask_reveiws"}),
                Message({TEXT: "when is my next reviw"})]
    loaded.process(messages)
    # "reveiw" is a word the examples use, so it stays; "reviw" is put right; a button stays
    assert [m.get(TEXT) for m in messages] == ["when is my next reveiw", "/ask_reveiws",
                                               "when is my next review"]
