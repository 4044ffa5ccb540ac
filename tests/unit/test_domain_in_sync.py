"""Meta-tests: the domain, the action code and the training data agree with each other."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text())
RESPONSES = set(DOMAIN.get("responses", {}))


def custom_action_names_in_code() -> set[str]:
    names = set()
    for path in (ROOT / "actions").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef) and node.name == "name":
                for ret in ast.walk(node):
                    if isinstance(ret, ast.Return) and isinstance(ret.value, ast.Constant):
                        names.add(ret.value.value)
    return names


def response_names_in_code() -> set[str]:
    names = set()
    for path in list((ROOT / "actions").glob("*.py")) + list((ROOT / "bot").glob("*.py")):
        names.update(re.findall(r"""["'](utter_[a-z0-9_]+)["']""", path.read_text()))
    return names


def test_every_domain_action_exists_in_code_and_back():
    in_domain = {a for a in DOMAIN.get("actions", []) if a.startswith(("action_", "validate_"))}
    assert in_domain == custom_action_names_in_code()


def test_every_response_named_in_code_exists_in_the_domain():
    # Names built at run time (utter_detail_<topic>) are checked by their own tests.
    missing = {n for n in response_names_in_code() - {"utter_action"} if n not in RESPONSES
               and not n.endswith("_")}
    assert missing == set()


def test_every_easy_read_topic_with_a_more_detail_button_has_a_detail_answer():
    for name, variations in DOMAIN["responses"].items():
        for variation in variations:
            for button in variation.get("buttons", []):
                match = re.match(r'/more_detail\{\{"topic": "([a-z0-9_]+)"\}\}', button["payload"])
                if match:
                    assert f"utter_detail_{match.group(1)}" in RESPONSES, name


def test_every_button_payload_names_a_domain_intent():
    intents = {i if isinstance(i, str) else next(iter(i)) for i in DOMAIN["intents"]}
    for name, variations in DOMAIN["responses"].items():
        for variation in variations:
            for button in variation.get("buttons", []):
                intent = re.match(r"/([a-z0-9_]+)", button["payload"]).group(1)
                assert intent in intents, f"{name}: {button['payload']}"


def test_payload_braces_are_doubled_so_rasa_does_not_treat_them_as_slots():
    for name, variations in DOMAIN["responses"].items():
        for variation in variations:
            for button in variation.get("buttons", []):
                payload = button["payload"]
                if "{" in payload:
                    assert "{{" in payload and "}}" in payload, f"{name}: {payload}"
