"""Sends long messages and context follow-ups to the understanding action, whatever their
whole-message intent.

A carer's five-sentence story often opens "Hi," and closes "Thanks in advance": read as one
text, the likeliest intent can be greet or thanks, and a rule would answer "Hello" to a story.
A message of two or more sentences (from the `sentences` that SentenceTopics leaves on it) is
therefore marked `nlu_fallback`, like an unsure reading, and its rule runs action_answer, which
reads it sentence by sentence (bot/understanding.py). So is a short message that leans on the
conversation ("how do I ask for one?") when the words alone would start a flow of its own (the
checker, the complaints form): action_answer reads it against the last answer instead.
The intent ranking is kept: nothing is lost. Put it last in the pipeline.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, \
    PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.reading import points_back

SENTENCES = "sentences"


def is_long(sentences: list[dict[str, Any]] | None, min_sentences: int) -> bool:
    return len(sentences or []) >= min_sentences


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class LongMessageRouter(GraphComponent):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"min_sentences": 2,
                "follow_up_intents": ["check_eligibility", "complain", "help", "tell_role",
                                      "inform", "inform_area", "greet", "thanks",
                                      "out_of_scope", "bot_challenge"]}

    def __init__(self, config: dict[str, Any]) -> None:
        self.min_sentences = int(config["min_sentences"])
        self.follow_up_intents = set(config["follow_up_intents"])

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> LongMessageRouter:
        return cls(config)

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            intent = message.get(INTENT) or {}
            name = intent.get(INTENT_NAME_KEY)
            follow_up = name in self.follow_up_intents and points_back(message.get(TEXT) or "")
            if name == DEFAULT_NLU_FALLBACK_INTENT_NAME or not (
                    follow_up or is_long(message.get(SENTENCES), self.min_sentences)):
                continue
            fallback = {INTENT_NAME_KEY: DEFAULT_NLU_FALLBACK_INTENT_NAME,
                        PREDICTED_CONFIDENCE_KEY: intent.get(PREDICTED_CONFIDENCE_KEY, 0.0)}
            message.set(INTENT, fallback, add_to_output=True)
            ranking = [r for r in message.get(INTENT_RANKING_KEY) or []
                       if r.get(INTENT_NAME_KEY) != DEFAULT_NLU_FALLBACK_INTENT_NAME]
            message.set(INTENT_RANKING_KEY, [fallback] + ranking, add_to_output=True)
        return messages
