"""Dense features from the pretrained sentence encoder (all-MiniLM-L6-v2, bot/encoder.py).

For each message's TEXT it adds:
  - a sentence feature (1, 384): the L2-normalised sentence embedding (mean pooling, as the
    model was trained; no `pooling` option, the encoder computes it);
  - sequence features (n_tokens, 384): for each Rasa token (SpacyTokenizer, .start/.end), the
    mean of the final hidden states of the wordpieces whose character spans overlap it (zeros
    when none, e.g. past the 256-wordpiece limit). Exactly one row per token, so DIET can put
    them beside the sparse sequence features.

Only TEXT: intents and action names are labels featurized by the classifiers themselves.
Messages with empty or blank text, or without tokens, get no features (as Rasa's own
featurizers do). The encoder folder (`model`, relative to the working directory) is made by
`make encoder`; nothing is downloaded.

    - name: nlu_components.sentence_encoder_featurizer.SentenceEncoderFeaturizer
      model: build/encoder
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Dict, List, Optional, Text, Type

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import FEATURIZER_CLASS_ALIAS, TOKENS_NAMES
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.nlu.tokenizers.tokenizer import Tokenizer
from rasa.shared.exceptions import InvalidConfigException
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.encoder import GRAPH_FILE, SentenceEncoder, graph_digest, load_cached

logger = logging.getLogger(__name__)

MODEL = "model"
BATCH_SIZE = "batch_size"
# The origin of the features this component adds (Rasa's `alias`), so that
# SentenceTopics can find the sentence feature without knowing the graph node's name.
DEFAULT_ALIAS = "sentence_encoder"


def token_features(hidden: np.ndarray, offsets: list[tuple[int, int]],
                   tokens: list[tuple[int, int]]) -> np.ndarray:
    """(len(tokens), dim): per token span, the mean of the wordpiece rows whose spans overlap."""
    dim = hidden.shape[1] if hidden.ndim == 2 else SentenceEncoder.dim
    if not tokens:
        return np.zeros((0, dim), dtype=np.float32)
    if not offsets:
        return np.zeros((len(tokens), dim), dtype=np.float32)
    tok = np.asarray(tokens, dtype=np.int64).reshape(-1, 2)
    wp = np.asarray(offsets, dtype=np.int64).reshape(-1, 2)
    overlap = ((wp[None, :, 0] < tok[:, None, 1]) & (wp[None, :, 1] > tok[:, None, 0])
               & (wp[None, :, 1] > wp[None, :, 0])).astype(np.float32)
    counts = overlap.sum(axis=1, keepdims=True)
    weights = overlap / np.maximum(counts, 1.0)
    return (weights @ hidden).astype(np.float32)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class SentenceEncoderFeaturizer(DenseFeaturizer, GraphComponent):
    """Sentence and token features from the offline all-MiniLM-L6-v2 encoder."""

    @classmethod
    def required_components(cls) -> List[Type]:
        return [Tokenizer]

    @staticmethod
    def required_packages() -> List[Text]:
        return ["tokenizers", "onnxruntime", "numpy", "scipy"]

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            **DenseFeaturizer.get_default_config(),
            FEATURIZER_CLASS_ALIAS: DEFAULT_ALIAS,
            MODEL: "build/encoder",
            BATCH_SIZE: 64,
        }

    def __init__(self, config: Dict[Text, Any], name: Text,
                 encoder: Optional[SentenceEncoder] = None) -> None:
        super().__init__(name, config)
        self.encoder = encoder if encoder is not None else load_cached(self._config[MODEL])

    @classmethod
    def validate_config(cls, config: Dict[Text, Any]) -> None:
        folder = Path(str(config.get(MODEL) or ""))
        if not all((folder / name).is_file() for name in (GRAPH_FILE, "tokenizer.json")):
            raise InvalidConfigException(
                f"SentenceEncoderFeaturizer: no encoder in '{folder}' (relative to "
                f"{Path.cwd()}). Build it with `make encoder` "
                f"(python -m bot build-encoder --output {folder}).")
        if int(config.get(BATCH_SIZE, 64)) < 1:
            raise InvalidConfigException("SentenceEncoderFeaturizer: batch_size must be >= 1")

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> GraphComponent:
        return cls(config, execution_context.node_name)

    @classmethod
    def fingerprint_addon(cls, config: Dict[Text, Any]) -> Optional[str]:
        """The encoder's graph and vocabulary, in Rasa's training fingerprint: Rasa's cache
        keeps the components trained on these features, and without this it reused them after
        the encoder changed (only the config and the data were fingerprinted)."""
        return graph_digest(Path(str(config.get(MODEL) or "")))

    # --- featurizing -------------------------------------------------------------------------

    @staticmethod
    def _featurizable(message: Message) -> bool:
        text = message.get(TEXT)
        return isinstance(text, str) and bool(text.strip())

    def _featurize(self, messages: List[Message]) -> None:
        messages = [m for m in messages if self._featurizable(m)]
        batch = int(self._config[BATCH_SIZE])
        # Chunks of 16 batches: the encoder sorts each chunk by length, so batches pad little,
        # while the hidden states held at once stay small.
        for start in range(0, len(messages), 16 * batch):
            chunk = messages[start:start + 16 * batch]
            vectors, pieces = self.encoder.encode_both([m.get(TEXT) for m in chunk],
                                                       batch_size=batch)
            for message, vector, (hidden, offsets) in zip(chunk, vectors, pieces):
                tokens = message.get(TOKENS_NAMES[TEXT])
                sequence = None
                if tokens is not None:
                    if not tokens:
                        continue  # nothing the other featurizers featurize either
                    spans = [(int(t.start), int(t.end)) for t in tokens]
                    sequence = token_features(hidden, offsets, spans)
                self.add_features_to_message(
                    sequence=sequence,
                    sentence=vector.reshape(1, -1).astype(np.float32),
                    attribute=TEXT,
                    message=message,
                )

    def process(self, messages: List[Message]) -> List[Message]:
        self._featurize(messages)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self._featurize(training_data.training_examples)
        return training_data
