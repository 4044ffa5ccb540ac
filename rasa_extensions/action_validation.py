"""Checks the action server's answers against Rasa's schema without re-checking the schema.

Rasa 3.6's RemoteAction._validate_action_result calls `jsonschema.validate(result, schema)` on
every custom-action call. That function first validates the *schema itself* against the JSON
Schema meta-schema, then builds a validator, then validates the result: a py-spy profile of the
Rasa server under 10 conversations spent 10-20% of its samples there (issue 15). The schema is
a constant, so here it is checked once and its validator built once; every result is still
validated in full, the same best-matching error is raised with the same message Rasa adds.
Installed by rasa_extensions/__init__.py, which Rasa imports when endpoints.yml names our
tracker store; tests/unit/test_action_validation.py checks it against Rasa's own.
"""

from __future__ import annotations

import functools
from typing import Any, Dict, Text

from jsonschema import exceptions, validators
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL

RASAS_OWN = RemoteAction._validate_action_result


@functools.lru_cache(maxsize=1)
def response_validator() -> Any:
    schema = RemoteAction.action_response_format_spec()
    cls = validators.validator_for(schema)
    cls.check_schema(schema)  # once, not on every call
    return cls(schema)


def validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
    error = exceptions.best_match(response_validator().iter_errors(result))
    if error is not None:
        error.message += (
            f". Failed to validate Action server response from API, "
            f"make sure your response from the Action endpoint is valid. "
            f"For more information about the format visit "
            f"{DOCS_BASE_URL}/custom-actions"
        )
        raise error
    return True


def install() -> None:
    RemoteAction._validate_action_result = validate_action_result
