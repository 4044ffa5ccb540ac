"""Puts misspelt words right before the rest of the NLU reads a message (bot/spelling.py).

"how do i ask for a reveiw" becomes "how do i ask for a review", so the classifiers, the
sentence encoder and the situation reader (which reads the parsed text) all see the word they
know. Training learns the words the training examples use and keeps spaCy's English word
frequencies for them and for every common word (about 50,000, from spacy-lookups-data, which is
installed: nothing is downloaded). The training examples themselves are left as written.
Place names from the contacts file are never changed. Put it first in the pipeline:

    - name: nlu_components.spelling_corrector.SpellingCorrector
"""

from __future__ import annotations

import json
import logging
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.spelling import COMMON_ENOUGH, Speller, english_frequencies, words_of

logger = logging.getLogger(__name__)
FILE = "spelling.json"


def place_words() -> set[str]:
    """Every word of every place name in the contacts file ("Leeds" must stay "Leeds")."""
    try:
        from bot import contacts

        directory, _ = contacts.loaded()
    except Exception as exc:  # noqa: BLE001 - a bad contacts file must not stop the NLU
        logger.warning(f"SpellingCorrector: no place names from the contacts file ({exc}).")
        return set()
    names: list[str] = []
    for area in directory.areas.values():
        names += [*area.names, area.council]
    for country_names in directory.country_names.values():
        names += list(country_names)
    return set(words_of(names))


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=True)
class SpellingCorrector(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {}

    def __init__(self, model_storage: ModelStorage, resource: Resource,
                 speller: Optional[Speller] = None) -> None:
        self._model_storage = model_storage
        self._resource = resource
        self.speller = speller

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "SpellingCorrector":
        return cls(model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        texts = [m.get(TEXT) or "" for m in training_data.training_examples]
        for table in training_data.lookup_tables:
            texts += [str(e) for e in table.get("elements") or []]
        vocabulary = dict(words_of(texts))
        frequencies = {w: p for w, p in english_frequencies().items()
                       if p >= COMMON_ENOUGH or w in vocabulary}
        with self._model_storage.write_to(self._resource) as folder:
            (folder / FILE).write_text(json.dumps(
                {"vocabulary": vocabulary, "frequencies": frequencies}), encoding="utf-8")
        return self._resource

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "SpellingCorrector":
        try:
            with model_storage.read_from(resource) as folder:
                saved = json.loads((folder / FILE).read_text(encoding="utf-8"))
        except (ValueError, OSError) as exc:
            logger.warning(f"SpellingCorrector: nothing trained ({exc}); words are left as "
                           f"typed.")
            return cls(model_storage, resource)
        return cls(model_storage, resource,
                   Speller(saved["vocabulary"], saved["frequencies"], place_words()))

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data  # the examples are learnt as written

    def process(self, messages: List[Message]) -> List[Message]:
        if self.speller is None:
            return messages
        for message in messages:
            text = message.get(TEXT)
            if isinstance(text, str) and text and not text.startswith("/"):
                corrected = self.speller.correct(text)
                if corrected != text:
                    message.set(TEXT, corrected)
        return messages
