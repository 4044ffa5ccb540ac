"""The averaged intent classifier: the arithmetic, and what it leaves on a message."""

from __future__ import annotations

import numpy as np
import pytest
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu_components.averaged_intent_classifier import AveragedIntentClassifier, average_rankings


def test_average_is_equal_weight_and_a_missing_intent_counts_zero():
    ranking = average_rankings({"a": 0.6, "b": 0.4}, {"a": 0.2, "c": 0.8}, length=0)
    assert [(r["name"], pytest.approx(r["confidence"])) for r in ranking] == [
        ("a", 0.4), ("c", 0.4), ("b", 0.2)]  # ties broken by name, so the order is stable


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


def test_it_averages_with_the_ranking_the_classifier_before_it_left(component):
    message = Message(data={"text": "thanks, bye",
                            "intent_ranking": [{"name": "greet", "confidence": 0.9},
                                               {"name": "thanks", "confidence": 0.1}]})
    component.process([message])
    assert message.get("intent")["name"] == "greet"
    assert message.get("intent")["confidence"] == pytest.approx(0.55)
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
