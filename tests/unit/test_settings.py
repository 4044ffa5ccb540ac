"""Settings: parsed once from the environment, and every one documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from web.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
SETTING_NAME = re.compile(
    r"""["']((?:S117|RASA|WEB|ACTIONS|TRACKER|LOCK_STORE|SQL|OPENBLAS)_[A-Z0-9_]+)["']""")
NOT_SETTINGS = {"RASA_TELEMETRY_ENABLED"}  # always forced off, not a choice


def settings_read_by_code() -> set[str]:
    names = set()
    for folder in ("web", "bot", "actions", "scripts", "benchmarks"):
        for path in (ROOT / folder).rglob("*.py"):
            names.update(SETTING_NAME.findall(path.read_text()))
    return names - NOT_SETTINGS


def test_defaults_come_from_an_empty_environment():
    settings = Settings.from_env({})
    assert settings.rasa_url == "http://127.0.0.1:5005"
    assert (settings.rasa_connect_timeout, settings.rasa_read_timeout) == (2.0, 10.0)
    assert settings.max_message_chars == 1000
    assert len(settings.secret_key) >= 32


def test_values_are_read_and_typed():
    settings = Settings.from_env({"RASA_URL": "http://127.0.0.1:6000/", "RASA_READ_TIMEOUT": "4.5",
                                  "S117_RATE_LIMIT_PER_MINUTE": "7",
                                  "S117_SECRET_KEY": "s" * 32})
    assert settings.rasa_url == "http://127.0.0.1:6000"
    assert settings.rasa_read_timeout == 4.5
    assert settings.rate_limit_per_minute == 7
    assert settings.secret_key == "s" * 32


@pytest.mark.parametrize("env,message", [
    ({"S117_RATE_LIMIT_PER_MINUTE": "lots"}, "whole number"),
    ({"RASA_READ_TIMEOUT": "ten"}, "a number"),
    ({"S117_SECRET_KEY": "short"}, "32 characters"),
])
def test_bad_values_stop_start_up_with_a_clear_message(env, message):
    with pytest.raises(ValueError, match=message):
        Settings.from_env(env)


def test_the_secret_key_is_not_printed():
    assert "s" * 32 not in repr(Settings.from_env({"S117_SECRET_KEY": "s" * 32}))


def test_every_setting_the_code_reads_is_in_env_example_and_the_readme():
    names = settings_read_by_code()
    assert "S117_SECRET_KEY" in names
    example = (ROOT / ".env.example").read_text()
    readme = (ROOT / "README.md").read_text()
    documented = set(re.findall(r"^([A-Z0-9_]+)=", example, re.M))
    assert names - documented == set(), "missing from .env.example"
    assert {n for n in names if f"`{n}`" not in readme} == set(), "missing from README"


def test_env_example_lists_nothing_the_code_does_not_read():
    example = (ROOT / ".env.example").read_text()
    documented = set(re.findall(r"^([A-Z0-9_]+)=", example, re.M))
    assert documented - settings_read_by_code() == set()


def test_every_value_endpoints_yml_reads_is_documented():
    """endpoints.yml takes ${NAME} from the environment: each must be a documented setting
    (or the per-replica ACTION_SERVER_URL that run_all sets)."""
    names = set(re.findall(r"\$\{([A-Z0-9_]+)\}", (ROOT / "endpoints.yml").read_text()))
    assert {"TRACKER_STORE_URL", "LOCK_STORE_URL", "TRACKER_DB"} <= names
    example = (ROOT / ".env.example").read_text()
    documented = set(re.findall(r"^([A-Z0-9_]+)=", example, re.M))
    assert names - documented == {"ACTION_SERVER_URL"}
    readme = (ROOT / "README.md").read_text()
    assert {n for n in names - {"ACTION_SERVER_URL"} if f"`{n}`" not in readme} == set()
