"""The domain's responses for the actions, read once from domain.yml.

Without `enable_selective_domain` (endpoints.yml) Rasa 3.6 sends its whole domain with every
action call: about 270 KB of JSON, nearly all of it responses, written by the Rasa server and
parsed by the action server twice a turn (action_note_situation, then the answer). With it
set, only the forms' validate_* actions get the domain, and the other actions read the
responses here, from the same domain.yml the model was trained on (`make run` retrains when it
changes). Actions still prefer the responses of a domain that was sent (and tests send one).
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import yaml

DOMAIN_FILE = Path(__file__).resolve().parents[1] / "domain.yml"


@functools.lru_cache(maxsize=4)
def _responses_in(path: str) -> dict[str, Any]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: 0.05 s, not 1 s
    return yaml.load(Path(path).read_text(encoding="utf-8"), Loader=loader).get("responses") or {}


def responses_of(domain: dict[str, Any]) -> dict[str, Any]:
    """The responses of the domain Rasa sent, else domain.yml's."""
    return domain.get("responses") or _responses_in(str(DOMAIN_FILE))


_responses_in(str(DOMAIN_FILE))  # at start-up, not in the first person's turn
