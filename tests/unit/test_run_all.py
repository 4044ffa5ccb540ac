"""scripts/run_all: private files, proxy options and the supervision settings."""

from __future__ import annotations

import pytest

from scripts.run_all import Assistant, Ports, policy_from_env, private_files, proxy_flags


def test_var_and_everything_in_it_are_made_private(tmp_path):
    var = tmp_path / "var"
    (var / "log").mkdir(parents=True)
    var.chmod(0o755)
    log = var / "log" / "web-server.log"
    log.write_text("x")
    log.chmod(0o644)
    tracker = tmp_path / "elsewhere.db"
    tracker.write_text("")
    tracker.chmod(0o664)
    changed = private_files(var, tracker)
    assert var.stat().st_mode & 0o777 == 0o700
    assert (var / "log").stat().st_mode & 0o777 == 0o700
    assert log.stat().st_mode & 0o777 == 0o600
    assert tracker.stat().st_mode & 0o777 == 0o600
    assert len(changed) == 4  # var/, var/log (0755 from mkdir), the log and the tracker
    assert private_files(var, tracker) == []  # nothing left to change


def test_private_files_never_widens_a_mode(tmp_path):
    secret = tmp_path / "var" / "only-read.txt"
    secret.parent.mkdir()
    secret.parent.chmod(0o700)
    secret.write_text("")
    secret.chmod(0o400)
    private_files(tmp_path / "var")
    assert secret.stat().st_mode & 0o777 == 0o400


def test_proxy_headers_are_off_unless_proxies_are_named():
    assert proxy_flags("") == ["--no-proxy-headers"]
    assert proxy_flags(" 127.0.0.1,10.0.0.5 ") == ["--proxy-headers", "--forwarded-allow-ips",
                                                  "127.0.0.1,10.0.0.5"]
    with pytest.raises(ValueError, match="separated by commas"):
        proxy_flags("127.0.0.1 10.0.0.5")


def test_hang_limit_setting():
    assert policy_from_env({}).hang_after == 30
    assert policy_from_env({"S117_RESTART_HUNG_AFTER": "8"}).hang_after == 8
    with pytest.raises(ValueError, match="number of seconds"):
        policy_from_env({"S117_RESTART_HUNG_AFTER": "soon"})
    with pytest.raises(ValueError, match="at least 3"):
        policy_from_env({"S117_RESTART_HUNG_AFTER": "1"})


def test_one_secret_per_run_so_a_restarted_web_server_keeps_sessions(monkeypatch):
    monkeypatch.delenv("S117_SECRET_KEY", raising=False)
    assistant = Assistant(Ports())
    first, again = assistant.environment(), assistant.environment()
    assert len(first["S117_SECRET_KEY"]) == 64
    assert first["S117_SECRET_KEY"] == again["S117_SECRET_KEY"]
    monkeypatch.setenv("S117_SECRET_KEY", "k" * 40)
    assert assistant.environment()["S117_SECRET_KEY"] == "k" * 40
