"""The sentence-encoder featurizer and the per-sentence topics, on hand-made Rasa messages
tokenised by the project's rule-based spaCy pipeline (build/spacy_en, `make spacy`) and the
encoder (build/encoder, `make encoder`); `make test-fast` builds both."""

from __future__ import annotations

import copy
from pathlib import Path

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.spacy_tokenizer import SpacyTokenizer
from rasa.nlu.utils.spacy_utils import SpacyNLP
from rasa.shared.nlu.constants import (FEATURE_TYPE_SENTENCE, FEATURE_TYPE_SEQUENCE, INTENT,
                                       TEXT)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu_components.sentence_encoder_featurizer import SentenceEncoderFeaturizer, token_features
from nlu_components.sentence_topics import SentenceTopics

ROOT = Path(__file__).resolve().parents[2]
SPACY_DIR = ROOT / "build" / "spacy_en"
ENCODER_DIR = ROOT / "build" / "encoder"


def _context(name: str) -> ExecutionContext:
    return ExecutionContext(GraphSchema({}), node_name=name)


@pytest.fixture(scope="module")
def pipeline():
    for needed, target in ((SPACY_DIR / "meta.json", "spacy"),
                           (ENCODER_DIR / "model.onnx", "encoder")):
        if not needed.is_file():
            pytest.fail(f"{needed} is missing: run `make {target}`", pytrace=False)
    storage = LocalModelStorage(ROOT / "build")  # create() stores nothing for these three
    nlp = SpacyNLP.create({**SpacyNLP.get_default_config(), "model": str(SPACY_DIR),
                           "case_sensitive": False}, storage, Resource("nlp"), _context("nlp"))
    tokenizer = SpacyTokenizer.create(SpacyTokenizer.get_default_config(), storage,
                                      Resource("tok"), _context("tok"))
    featurizer = SentenceEncoderFeaturizer.create(
        {**SentenceEncoderFeaturizer.get_default_config(), "model": str(ENCODER_DIR)},
        storage, Resource("enc"), _context("enc"))
    model = nlp.provide()

    def run(messages: list[Message]) -> list[Message]:
        nlp.process(messages, model)
        tokenizer.process(messages)
        featurizer.process(messages)
        return messages

    def run_training(data: TrainingData) -> TrainingData:
        nlp.process_training_data(data, model)
        tokenizer.process_training_data(data)
        featurizer.process_training_data(data)
        return data

    return run, run_training, featurizer


def test_features_have_one_row_per_token_and_one_sentence_row(pipeline):
    run, _, featurizer = pipeline
    texts = ["hello", "My son was on a section 37/41 and is now conditionally discharged.",
             "who pays for the care home?? the council says she must pay out of her pension"]
    for message in run([Message(data={TEXT: t}) for t in texts]):
        tokens = message.get(TOKENS_NAMES[TEXT])
        sequence, sentence = message.get_dense_features(TEXT, ["sentence_encoder"])
        assert sequence.features.shape == (len(tokens), 384)
        assert sentence.features.shape == (1, 384)
        assert sequence.type == FEATURE_TYPE_SEQUENCE and sentence.type == FEATURE_TYPE_SENTENCE
        assert sequence.origin == sentence.origin == ["sentence_encoder"]  # combined: a list
        assert {f.origin for f in message.features} == {"sentence_encoder"}
        assert np.linalg.norm(sentence.features) == pytest.approx(1.0, abs=1e-5)
        assert np.all(np.abs(sequence.features).sum(axis=1) > 0)  # every token got wordpieces
        expected = featurizer.encoder.encode([message.get(TEXT)])
        assert np.abs(sentence.features - expected).max() < 1e-4


def test_only_text_is_featurized_and_blank_text_is_fine(pipeline):
    run, _, _ = pipeline
    blank, empty, label = Message(data={TEXT: "   "}), Message(data={TEXT: ""}), Message(
        data={INTENT: "greet"})
    run([blank, empty, label])
    for message in (blank, empty, label):
        assert message.get_dense_features(TEXT) == (None, None)
        assert message.get_dense_features(INTENT) == (None, None)


def test_training_data_is_featurized_in_batches_the_same_as_one_by_one(pipeline):
    run, run_training, _ = pipeline
    texts = [f"can they charge me for my flat number {i}" if i % 2 else f"hello {i}"
             for i in range(70)]
    data = run_training(TrainingData([Message(data={TEXT: t, INTENT: "x"}) for t in texts]))
    alone = run([Message(data={TEXT: texts[3]})])[0]
    batched = data.training_examples[3]
    for a, b in zip(alone.get_dense_features(TEXT), batched.get_dense_features(TEXT)):
        assert np.abs(a.features - b.features).max() < 1e-4


def test_rasas_training_cache_sees_a_change_of_encoder(tmp_path):
    """Rasa fingerprints a component's config and inputs; the encoder's files are outside both,
    so the featurizer adds their digest: a changed graph must give a new fingerprint."""
    from rasa.engine.training.fingerprinting import calculate_fingerprint_key

    def key(folder: Path) -> str:
        config = {**SentenceEncoderFeaturizer.get_default_config(), "model": str(folder)}
        return calculate_fingerprint_key(SentenceEncoderFeaturizer, config, {})

    copy = tmp_path / "encoder"
    copy.mkdir()
    for name in ("model.onnx", "tokenizer.json"):
        (copy / name).write_bytes((ENCODER_DIR / name).read_bytes())
    before = key(copy)
    assert key(copy) == before  # the same files, the same fingerprint: the cache is used
    (copy / "model.onnx").write_bytes((ENCODER_DIR / "model.onnx").read_bytes() + b"\0")
    assert key(copy) != before


def test_token_features_average_the_overlapping_wordpieces():
    hidden = np.array([[1.0, 0.0], [3.0, 2.0], [5.0, 5.0]], dtype=np.float32)
    offsets = [(0, 4), (4, 8), (9, 12)]          # "care" "home" (one word: "carehome") "fee"
    tokens = [(0, 8), (9, 12), (13, 20)]         # the last token has no wordpiece
    got = token_features(hidden, offsets, tokens)
    assert got.tolist() == [[2.0, 1.0], [5.0, 5.0], [0.0, 0.0]]
    assert token_features(hidden, offsets, []).shape == (0, 2)
    assert token_features(np.zeros((0, 2), np.float32), [], [(0, 1)]).shape == (1, 2)


# --- per-sentence topics ------------------------------------------------------------------------

EXAMPLES = {
    "ask_charging": ["do I have to pay for my aftercare", "can the council charge me for care",
                     "they want me to pay for my care home", "is section 117 aftercare free",
                     "will I get a bill for my support"],
    "ask_carers": ["what help is there for carers", "I look after my son, can I get support",
                   "support for family carers", "I am a carer, what are my rights",
                   "help for people caring for someone"],
    "greet": ["hello", "hi there", "good morning", "hey", "hello, is anyone there"],
    "ask_complain": ["how do I make a complaint", "I want to complain about the council",
                     "who do I complain to", "the ombudsman, how do I contact them",
                     "I am unhappy with the service and want to complain"],
}


@pytest.fixture(scope="module")
def trained(pipeline, tmp_path_factory):
    run, run_training, _ = pipeline
    data = run_training(TrainingData([Message(data={TEXT: t, INTENT: intent})
                                      for intent, texts in EXAMPLES.items() for t in texts]))
    storage = LocalModelStorage(tmp_path_factory.mktemp("storage"))
    resource = Resource("sentence_topics")
    config = {**SentenceTopics.get_default_config(), "model": str(ENCODER_DIR)}
    component = SentenceTopics.create(config, storage, resource, _context("topics"))
    assert component.train(data) == resource
    loaded = SentenceTopics.load(config, storage, resource, _context("topics"))
    assert loaded.clf is not None
    return run, loaded, component


def test_each_sentence_gets_its_topics_and_the_intent_is_untouched(trained):
    run, topics, _ = trained
    text = "Hello. My mum has been in hospital on a section 3. Do I have to pay for her care?"
    message = run([Message(data={TEXT: text})])[0]
    intent = {"name": "greet", "confidence": 0.42}
    ranking = [intent, {"name": "ask_carers", "confidence": 0.3}]
    message.set(INTENT, copy.deepcopy(intent), add_to_output=True)
    message.set("intent_ranking", copy.deepcopy(ranking), add_to_output=True)
    topics.process([message])
    assert message.get(INTENT) == intent and message.get("intent_ranking") == ranking
    parts = message.get("sentences")
    assert [p["text"] for p in parts] == ["Hello. My mum has been in hospital on a section 3.",
                                          "Do I have to pay for her care?"]
    for p in parts:
        assert text[p["start"]:p["end"]] == p["text"]
        assert len(p["ranking"]) == 4  # top 5 of 4 intents
        assert sum(r["confidence"] for r in p["ranking"]) == pytest.approx(1.0)
        assert all(type(r["confidence"]) is float and type(r["name"]) is str
                   for r in p["ranking"])
    assert parts[1]["asks"] == 1.0
    assert parts[1]["ranking"][0]["name"] == "ask_charging"
    whole = message.get("embedding_ranking")
    assert len(whole) == 4 and whole[0]["name"] == "ask_charging"
    out = message.as_dict(only_output_properties=True)
    assert "sentences" in out and "embedding_ranking" in out


@pytest.mark.parametrize("text, intent", [
    ("I would like to make a complaint about social services", "ask_complain"),
    ("is there any support for a carer like me", "ask_carers"),
    ("the home is charging my dad for his care", "ask_charging"),
])
def test_a_clearly_worded_held_out_sentence_gets_the_right_topic(trained, text, intent):
    run, topics, _ = trained
    message = topics.process(run([Message(data={TEXT: text})]))[0]
    assert message.get("sentences")[0]["ranking"][0]["name"] == intent
    assert message.get("embedding_ranking")[0]["name"] == intent
    assert message.get(INTENT) is None  # it never sets one


def test_a_single_sentence_reuses_the_featurizer_vector(trained, monkeypatch):
    run, topics, _ = trained
    message = run([Message(data={TEXT: "how do I complain"})])[0]

    def no_encoding(*args, **kwargs):
        raise AssertionError("encoded again")
    monkeypatch.setattr(topics.encoder, "encode", no_encoding)
    topics.process([message])
    assert len(message.get("sentences")) == 1


def test_loaded_and_trained_components_agree(trained):
    run, loaded, fresh = trained
    a = loaded.process(run([Message(data={TEXT: "who do I complain to about charges"})]))[0]
    b = fresh.process(run([Message(data={TEXT: "who do I complain to about charges"})]))[0]
    assert a.get("embedding_ranking") == b.get("embedding_ranking")


def test_blank_text_gets_no_sentences_and_no_crash(trained):
    run, topics, _ = trained
    for text in ("", "   "):
        message = topics.process(run([Message(data={TEXT: text})]))[0]
        assert message.get("sentences") == []
        assert message.get("embedding_ranking") == []


def test_the_message_ranking_keeps_the_best_and_every_intent_the_classifiers_ranked(trained):
    run, topics, _ = trained
    text = "the home is charging my dad for his care"
    full = topics.process(run([Message(data={TEXT: text})]))[0].get("embedding_ranking")
    assert len(full) == 4  # fewer intents than message_ranking_length: all of them
    short = SentenceTopics({**topics.config, "message_ranking_length": 1},
                           topics._model_storage, topics._resource, topics.clf)
    message = run([Message(data={TEXT: text})])[0]
    last = full[-1]["name"]
    message.set("intent_ranking", [{"name": last, "confidence": 0.9}], add_to_output=True)
    kept = short.process([message])[0].get("embedding_ranking")
    assert kept == [full[0], full[-1]]  # the best, and the one the classifiers ranked
