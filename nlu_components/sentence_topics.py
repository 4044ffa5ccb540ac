"""Which topics each sentence of a message is about, from the pretrained sentence encoder.

A carer's five-sentence story has several questions in it. This component reads a message
sentence by sentence (bot/reading.py), embeds every sentence with the encoder
(bot/encoder.py, shared with SentenceEncoderFeaturizer in one process) and ranks intents for
each with a logistic regression trained on the training examples' sentence embeddings. It
leaves `intent` and `intent_ranking` exactly as the classifiers before it set them, and adds
to the parse result (so custom actions see them in tracker.latest_message):

    sentences:         [{"text", "start", "end", "asks",
                         "ranking": [{"name", "confidence"}, ... 5 best]}, ...]
    embedding_ranking: [{"name", "confidence"}, ...] for the whole message: the 10 best, and
                       every intent of the classifiers' intent_ranking (all that
                       bot/understanding.py combines it with), best first

Not every intent: this parse result is stored with every message, and sent to the action
server with the whole conversation on every action call; 60 scores made each stored message
about 5 KB, two-thirds of it this list (issue 15).

Put it at the end of the pipeline, after SentenceEncoderFeaturizer:

    - name: nlu_components.sentence_topics.SentenceTopics
      model: build/encoder
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text, Type

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.linear_model import LogisticRegression

from bot.encoder import load_cached
from bot.reading import sentences as split_sentences
from nlu_components.sentence_encoder_featurizer import DEFAULT_ALIAS, SentenceEncoderFeaturizer

logger = logging.getLogger(__name__)

SENTENCES = "sentences"
EMBEDDING_RANKING = "embedding_ranking"
DIM = 384


def _ranking(classes: np.ndarray, probabilities: np.ndarray, length: int) -> list[dict]:
    order = sorted(range(len(classes)), key=lambda i: (-float(probabilities[i]), str(classes[i])))
    return [{"name": str(classes[i]), "confidence": float(probabilities[i])}
            for i in order[:length]]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class SentenceTopics(GraphComponent):
    """Per-sentence intent rankings from sentence embeddings; never sets the intent."""

    @classmethod
    def required_components(cls) -> List[Type]:
        return [SentenceEncoderFeaturizer]

    @staticmethod
    def required_packages() -> List[Text]:
        return ["sklearn", "skops", "tokenizers"]

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "model": "build/encoder",
            # The origin of the sentence features to read (SentenceEncoderFeaturizer's alias).
            "featurizer": DEFAULT_ALIAS,
            "C": 4.0,
            "max_iter": 2000,
            "random_state": 117,
            "sentence_ranking_length": 5,
            "message_ranking_length": 10,
        }

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage,
                 resource: Resource, clf: Optional[LogisticRegression] = None) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.clf = clf
        self._encoder = None

    @property
    def encoder(self):
        if self._encoder is None:
            self._encoder = load_cached(self.config["model"])
        return self._encoder

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "SentenceTopics":
        return cls(config, model_storage, resource)

    # --- features ----------------------------------------------------------------------------

    def _sentence_feature(self, message: Message) -> Optional[np.ndarray]:
        """The featurizer's (384,) sentence embedding of the message, or None."""
        _, sentence = message.get_dense_features(TEXT, [self.config["featurizer"]])
        if sentence is None:
            return None
        vector = np.asarray(sentence.features, dtype=np.float32).reshape(-1)
        return vector if vector.shape[0] == DIM else None

    def _vectors(self, messages: List[Message]) -> np.ndarray:
        """Sentence embeddings of messages: the featurizer's, else encoded here."""
        rows: list[Optional[np.ndarray]] = [self._sentence_feature(m) for m in messages]
        missing = [i for i, row in enumerate(rows) if row is None]
        if missing:
            encoded = self.encoder.encode([messages[i].get(TEXT) or "" for i in missing],
                                          batch_size=64)
            for i, row in zip(missing, encoded):
                rows[i] = row
        return np.stack(rows).astype(np.float32) if rows else np.zeros((0, DIM), np.float32)

    # --- training ----------------------------------------------------------------------------

    def train(self, training_data: TrainingData) -> Resource:
        examples = [m for m in training_data.intent_examples
                    if m.get(INTENT) and isinstance(m.get(TEXT), str) and m.get(TEXT).strip()]
        labels = [m.get(INTENT) for m in examples]
        if len(set(labels)) < 2:
            logger.debug("SentenceTopics: fewer than two intents, nothing to train.")
            return self._resource
        X = self._vectors(examples)
        self.clf = LogisticRegression(C=float(self.config["C"]),
                                      max_iter=int(self.config["max_iter"]),
                                      random_state=int(self.config["random_state"]))
        self.clf.fit(X, labels)
        self.persist()
        return self._resource

    def persist(self) -> None:
        import skops.io as sio

        with self._model_storage.write_to(self._resource) as model_dir:
            sio.dump(self.clf, model_dir / f"{self._resource.name}.skops")

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "SentenceTopics":
        import skops.io as sio

        try:
            with model_storage.read_from(resource) as model_dir:
                path = model_dir / f"{resource.name}.skops"
                untrusted = sio.get_untrusted_types(file=path)
                if untrusted:
                    # A plain LogisticRegression has none: refuse anything else.
                    raise ValueError(f"untrusted types in {path}: {untrusted}")
                clf = sio.load(path, trusted=[])
        except ValueError as exc:
            logger.warning(f"SentenceTopics: no trained model loaded ({exc}); it will add "
                           f"sentences without rankings.")
            clf = None
        return cls(config, model_storage, resource, clf)

    # --- processing --------------------------------------------------------------------------

    def _rank(self, vectors: np.ndarray, length: int) -> list[list[dict]]:
        if self.clf is None or len(vectors) == 0:
            return [[] for _ in range(len(vectors))]
        probabilities = self.clf.predict_proba(vectors)
        return [_ranking(self.clf.classes_, row, length) for row in probabilities]

    def _rank_in_context(self, texts: list[str], length: int) -> list[list[dict]]:
        """Each sentence read on its own and together with the one before it ("She has to pay
        £150 a week. Is that right?"), the two readings combined by a geometric mean: a
        question that leans on the story gets the story's topic. On the 207 long messages of
        tests/conversations/long_messages.yml the main question was answered first 79.2% of
        the time this way against 78.3% for the sentence alone (2026-12-01)."""
        if self.clf is None or not texts:
            return [[] for _ in texts]
        joined = [texts[i - 1] + " " + texts[i] for i in range(1, len(texts))]
        vectors = self.encoder.encode(texts + joined)
        alone = self.clf.predict_proba(vectors[:len(texts)])
        together = self.clf.predict_proba(vectors[len(texts):])
        rows = [alone[0]] + [np.sqrt(a * b) / np.sqrt(a * b).sum()
                             for a, b in zip(alone[1:], together)]
        return [_ranking(self.clf.classes_, row, length) for row in rows]

    def _message_ranking(self, message: Message, whole: Optional[np.ndarray]) -> list[dict]:
        """The best `message_ranking_length` intents for the whole message, and every intent the
        classifiers ranked: the weighted geometric mean in bot/understanding.py needs the
        encoder's score of each of those; any other intent there scores
        under 3e-5 before normalising (the square root of its score times 1e-9)."""
        if whole is None:
            return []
        ranking = self._rank(whole.reshape(1, -1), len(self.clf.classes_) if self.clf else 0)[0]
        ranked_by_classifiers = {r.get("name") for r in message.get("intent_ranking") or []}
        best = int(self.config["message_ranking_length"])
        return [r for place, r in enumerate(ranking)
                if place < best or r["name"] in ranked_by_classifiers]

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not isinstance(text, str):
                continue
            whole = self._sentence_feature(message)
            parts = split_sentences(text)
            length = int(self.config["sentence_ranking_length"])
            if len(parts) == 1 and whole is not None:
                rankings = self._rank(whole.reshape(1, -1), length)
            else:
                rankings = self._rank_in_context([p.text for p in parts], length)
            if whole is None and text.strip():
                whole = self.encoder.encode([text])[0]
            message.set(SENTENCES, [
                {"text": p.text, "start": int(p.start), "end": int(p.end),
                 "asks": float(p.asks), "ranking": ranking}
                for p, ranking in zip(parts, rankings)], add_to_output=True)
            message.set(EMBEDDING_RANKING, self._message_ranking(message, whole),
                        add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        # The training examples keep their labels and features; nothing after us learns.
        return training_data
