"""bot/ is the plain-Python core: it must never import the dialogue engine or the web framework."""

import ast
from pathlib import Path

import pytest

FORBIDDEN = {"rasa", "rasa_sdk", "fastapi", "starlette", "web", "actions"}
BOT_DIR = Path(__file__).resolve().parents[2] / "bot"


def imported_top_level_names(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


MODULES = sorted(BOT_DIR.rglob("*.py"))


def test_there_are_modules_to_check():
    assert len(MODULES) >= 5


@pytest.mark.parametrize("module", MODULES, ids=lambda p: p.name)
def test_bot_module_imports_no_engine_or_framework(module):
    assert imported_top_level_names(module) & FORBIDDEN == set()


def test_the_guard_itself_catches_a_forbidden_import(tmp_path):
    sneaky = tmp_path / "sneaky.py"
    sneaky.write_text("def f():\n    from rasa_sdk import Action\n")
    assert "rasa_sdk" in imported_top_level_names(sneaky)
