"""Loads DIET's weights without tracing a training graph first.

Rasa 3.6's RasaModel.load builds the model's variables by training it for one step on one
example, then overwrites them with the saved weights. That step runs as a tf.function, so
Keras first traces and converts the whole training step with autograph: 3.7 s of the Rasa
server's start-up on this project's 2 cores (py-spy, and start-up timed with and without
this), for weights thrown away at once. Here the same step runs eagerly (no tracing; the
variables are created with the same shapes), then the model is set back to how it was
compiled, so prediction is traced once as before. Everything else is Rasa's load, line for
line. tests/dialogue/test_model_loading.py checks that both loads predict the same scores.
"""

from __future__ import annotations

from typing import Any, Optional, Text

import tensorflow as tf
from rasa.utils.tensorflow.constants import LEARNING_RATE, RUN_EAGERLY
from rasa.utils.tensorflow.data_generator import RasaBatchDataGenerator
from rasa.utils.tensorflow.model_data import RasaModelData
from rasa.utils.tensorflow.models import RasaModel

RASAS_OWN = RasaModel.__dict__["load"]  # the classmethod itself, to put back


def load(cls, model_file_name: Text, model_data_example: RasaModelData,
         predict_data_example: Optional[RasaModelData] = None, finetune_mode: bool = False,
         *args: Any, **kwargs: Any) -> RasaModel:
    model = cls(*args, **kwargs)
    learning_rate = kwargs.get("config", {}).get(LEARNING_RATE, 0.001)
    run_eagerly = kwargs.get("config", {}).get(RUN_EAGERLY)
    model.compile(optimizer=tf.keras.optimizers.Adam(learning_rate), run_eagerly=True)
    model.fit(RasaBatchDataGenerator(model_data_example, batch_size=1), verbose=False)
    model.run_eagerly = run_eagerly  # back to the configured mode, for prediction
    model.load_weights(model_file_name)
    if not finetune_mode and predict_data_example:
        model.run_inference(predict_data_example)  # traces prediction once, as Rasa does
    return model


def install() -> None:
    RasaModel.load = classmethod(load)


def uninstall() -> None:
    RasaModel.load = RASAS_OWN
