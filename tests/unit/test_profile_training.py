"""benchmarks/profile_training.py names each timed graph node by its component and adds the rest."""

from __future__ import annotations

import pytest

from benchmarks.profile_training import breakdown, component_of


@pytest.mark.parametrize("node, component", [
    ("train_DIETClassifier7", "DIETClassifier"),
    ("run_CountVectorsFeaturizer3", "CountVectorsFeaturizer"),
    ("train_nlu_components.sentence_topics.SentenceTopics11",
     "nlu_components.sentence_topics.SentenceTopics"),
    ("domain_provider", "domain_provider"),
])
def test_a_node_is_named_by_its_component_without_rasas_index(node, component):
    assert component_of(node) == component


def test_the_same_part_is_added_up_and_the_untimed_rest_is_its_own_row():
    rows = breakdown([("CountVectorsFeaturizer", "process_training_data", 2.0),
                      ("DIETClassifier", "train", 50.0),
                      ("CountVectorsFeaturizer", "process_training_data", 3.0)], total=60.0)
    assert rows[0] == ("DIETClassifier.train", 50.0)
    assert rows[1] == ("CountVectorsFeaturizer.process_training_data", 5.0)
    assert rows[-1][0].startswith("reading data") and rows[-1][1] == pytest.approx(5.0)
