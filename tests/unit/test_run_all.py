"""scripts/run_all: private files, proxy options and the supervision settings."""

from __future__ import annotations

from pathlib import Path

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


def test_one_blas_thread_unless_the_deployer_says_otherwise(monkeypatch):
    # OpenBLAS's spinning helper thread took 0.7 of a core from the other processes.
    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    assert Assistant(Ports()).environment()["OPENBLAS_NUM_THREADS"] == "1"
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "2")
    assert Assistant(Ports()).environment()["OPENBLAS_NUM_THREADS"] == "2"


def test_replicas_each_get_their_own_ports_and_action_server():
    from scripts.run_all import check_scaled_settings

    assistant = Assistant(Ports(rasa=6000, actions=6100, replicas=3, web_workers=2))
    commands = assistant.commands()
    assert [name for name in commands] == [
        "action server 1", "Rasa server 1", "action server 2", "Rasa server 2",
        "action server 3", "Rasa server 3", "web server"]
    assert commands["Rasa server 3"][commands["Rasa server 3"].index("--port") + 1] == "6002"
    assert commands["Rasa server 2"][commands["Rasa server 2"].index("--interface") + 1] \
        == "127.0.0.1"
    assert commands["action server 2"][-1] == "6101"
    assert assistant.child_environments()["Rasa server 2"] == {
        "ACTION_SERVER_URL": "http://127.0.0.1:6101/webhook"}
    assert commands["web server"][commands["web server"].index("--workers") + 1] == "2"
    assert assistant.environment()["RASA_URL"] == \
        "http://127.0.0.1:6000,http://127.0.0.1:6001,http://127.0.0.1:6002"
    assert set(assistant.health_urls()) == set(commands)
    # One replica keeps the names and the command line of the default mode.
    single = Assistant(Ports())
    assert list(single.commands()) == ["action server", "Rasa server", "web server"]
    assert "--workers" not in single.commands()["web server"]
    assert check_scaled_settings(Ports(), {}) == []


def test_replicas_need_the_shared_stores_and_bad_numbers_are_refused():
    from scripts.run_all import check_scaled_settings

    scaled = {"TRACKER_STORE_URL": "postgresql://u:p@h/s117", "LOCK_STORE_URL": "redis://h"}
    assert check_scaled_settings(Ports(replicas=2, web_workers=2), scaled) == []
    with pytest.raises(ValueError, match="TRACKER_STORE_URL"):
        check_scaled_settings(Ports(replicas=2), {"LOCK_STORE_URL": "redis://h"})
    with pytest.raises(ValueError, match="LOCK_STORE_URL"):
        check_scaled_settings(Ports(replicas=2), {"TRACKER_STORE_URL": "postgresql://h/s"})
    warning, = check_scaled_settings(Ports(web_workers=3), {})
    assert "per worker" in warning
    assert Ports.from_env({"RASA_REPLICAS": "4", "WEB_WORKERS": "2"}).replicas == 4
    for name, bad in (("RASA_REPLICAS", "0"), ("RASA_REPLICAS", "two"), ("WEB_WORKERS", "99"),
                      ("RASA_PORT", "70000")):
        with pytest.raises(ValueError, match=name):
            Ports.from_env({name: bad})


def test_var_may_be_passable_for_the_postgres_user_but_never_readable(tmp_path):
    var = tmp_path / "var"
    var.mkdir(mode=0o755)
    var.chmod(0o755)
    private_files(var, var_mode=0o711)
    assert var.stat().st_mode & 0o777 == 0o711
    private_files(var)
    assert var.stat().st_mode & 0o777 == 0o700


def test_the_scaled_mode_adds_its_settings_but_never_overrides_the_persons():
    from scripts.run_scaled import connections_needed, scaled_environment
    from scripts.throwaway_postgres import ThrowawayPostgres
    from scripts.throwaway_redis import ThrowawayRedis

    postgres = ThrowawayPostgres(folder=Path("/nonexistent"), port=1,
                                 password="pw")
    redis = ThrowawayRedis(folder=Path("/nonexistent"), port=2,
                           password="rpw")
    added = scaled_environment(postgres, redis, {"RASA_REPLICAS": "3"})
    assert added == {"TRACKER_STORE_URL": "postgresql://s117:pw@127.0.0.1:1/s117",
                     "LOCK_STORE_URL": "redis://:rpw@127.0.0.1:2/1",
                     "S117_INSIGHTS_DB": "postgresql://s117:pw@127.0.0.1:1/s117_insights",
                     "WEB_WORKERS": "2"}
    assert connections_needed(2, 2) == 2 * 20 + 2 * 5 + 10

