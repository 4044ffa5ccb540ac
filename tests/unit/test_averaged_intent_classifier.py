"""The averaged intent classifier: the arithmetic (a normalised geometric mean), and what it
leaves on a message."""

from __future__ import annotations

import numpy as np
import pytest
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu_components.averaged_intent_classifier import AveragedIntentClassifier, average_rankings


def test_agreement_is_rewarded_where_an_arithmetic_mean_would_hedge():
    # DIET sure, the regression right but spread thin: the arithmetic mean would be 0.6.
    ranking = average_rankings({"ask_charging": 0.9, "stop": 0.1},
                               {"ask_charging": 0.3, "stop": 0.1, "goodbye": 0.1, "thanks": 0.5},
                               length=0)
    assert ranking[0]["name"] == "ask_charging"
    assert ranking[0]["confidence"] > 0.8
    assert sum(r["confidence"] for r in ranking) == pytest.approx(1.0)


def test_an_intent_either_opinion_rules_out_scores_next_to_nothing():
    ranking = average_rankings({"a": 0.6, "b": 0.4}, {"a": 0.2, "c": 0.8}, length=0)
    assert [r["name"] for r in ranking][0] == "a"
    assert ranking[0]["confidence"] == pytest.approx(1.0, abs=1e-4)


def test_length_keeps_the_best_and_ties_are_broken_by_name():
    ranking = average_rankings({"b": 0.5, "a": 0.5}, {"b": 0.5, "a": 0.5}, length=1)
    assert ranking == [{"name": "a", "confidence": pytest.approx(0.5)}]


def test_average_can_overrule_the_first_opinion():
    ranking = average_rankings({"ask_how_long": 0.55, "ask_end_time_passed": 0.45},
                               {"ask_how_long": 0.05, "ask_end_time_passed": 0.90}, length=1)
    assert [r["name"] for r in ranking] == ["ask_end_time_passed"]


class FakeRegression:
    classes_ = np.array(["greet", "thanks"])

    def predict_proba(self, X):
        return np.array([[0.2, 0.8]] * X.shape[0])


@pytest.fixture
def component(tmp_path):
    storage = LocalModelStorage(tmp_path)
    made = AveragedIntentClassifier({"ranking_length": 10}, "averaged", storage, Resource("averaged"))
    made.clf = FakeRegression()
    made._create_X = lambda messages: np.zeros((len(messages), 1))
    return made


def test_it_combines_with_the_ranking_the_classifier_before_it_left(component):
    message = Message(data={"text": "thanks, bye",
                            "intent_ranking": [{"name": "greet", "confidence": 0.9},
                                               {"name": "thanks", "confidence": 0.1}]})
    component.process([message])
    assert message.get("intent")["name"] == "greet"
    # sqrt(0.9 * 0.2) = 0.424 and sqrt(0.1 * 0.8) = 0.283, normalised: 0.6 and 0.4
    assert message.get("intent")["confidence"] == pytest.approx(0.6)
    assert [r["name"] for r in message.get("intent_ranking")] == ["greet", "thanks"]


def test_alone_it_is_a_plain_logistic_regression(component):
    message = Message(data={"text": "ta"})
    component.process([message])
    assert message.get("intent") == {"name": "thanks", "confidence": pytest.approx(0.8)}


def test_training_labels_are_left_alone(component):
    example = Message(data={"text": "hello", "intent": "greet"})
    component.process_training_data(TrainingData([example]))
    assert example.get("intent") == "greet"


def test_regression_gets_enough_iterations_to_converge():
    assert AveragedIntentClassifier.get_default_config()["max_iter"] >= 1000


def _featurized(text: str) -> Message:
    from rasa.shared.nlu.training_data.features import Features
    from scipy.sparse import coo_matrix

    message = Message(data={"text": text})
    for origin, values in (("words", [1.0, 2.0]), ("chars", [3.0, 4.0, 5.0])):
        message.add_features(Features(coo_matrix([values]), "sentence", "text", origin))
    message.add_features(Features(np.array([[0.5, 0.25]]), "sentence", "text", "sentence_encoder"))
    return message


@pytest.mark.parametrize("featurizers, expected", [
    (["words", "sentence_encoder"], [1.0, 2.0, 0.5, 0.25]),
    ([], [1.0, 2.0, 3.0, 4.0, 5.0, 0.5, 0.25]),  # empty: every featurizer, as Rasa's own
])
def test_the_regression_reads_only_the_featurizers_it_is_given(tmp_path, featurizers, expected):
    made = AveragedIntentClassifier({"featurizers": featurizers}, "averaged",
                                    LocalModelStorage(tmp_path), Resource("averaged"))
    X = made._create_X([_featurized("a"), _featurized("b")])
    assert X.shape == (2, len(expected))
    assert X.toarray()[1].tolist() == expected


def test_the_configured_regression_leaves_out_the_character_ngrams():
    import yaml

    config = yaml.safe_load(open("config.yml"))["pipeline"]
    regression = next(c for c in config if c["name"].endswith("AveragedIntentClassifier"))
    aliases = {c.get("alias") for c in config if c["name"] == "CountVectorsFeaturizer"}
    assert "words" in aliases and set(regression["featurizers"]) == {"words", "sentence_encoder"}


def test_a_loaded_regression_keeps_its_weights_by_column_and_predicts_the_same(tmp_path):
    from rasa.engine.graph import ExecutionContext, GraphSchema
    from scipy.sparse import random as sparse_random
    from sklearn.linear_model import LogisticRegression

    X = sparse_random(120, 500, density=0.02, format="csr", random_state=1)
    y = np.array(["greet", "thanks", "goodbye"] * 40)
    storage = LocalModelStorage(tmp_path)
    trained = AveragedIntentClassifier({"ranking_length": 10}, "averaged", storage,
                                       Resource("averaged"))
    trained.clf = LogisticRegression(max_iter=200).fit(X, y)
    trained.persist()
    loaded = AveragedIntentClassifier.load({"ranking_length": 10}, storage, Resource("averaged"),
                                           ExecutionContext(GraphSchema({}), node_name="averaged"))
    assert loaded.clf.coef_.flags["F_CONTIGUOUS"] and not trained.clf.coef_.flags["F_CONTIGUOUS"]
    assert np.array_equal(loaded.clf.predict_proba(X[:7]), trained.clf.predict_proba(X[:7]))
