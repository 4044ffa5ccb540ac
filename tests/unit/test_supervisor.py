"""The supervisor restarts, with backoff, and gives up; with real child processes.

Small policy values keep each test to a few seconds; every wait is bounded.
"""

from __future__ import annotations

import signal
import socket
import sys
import time
from pathlib import Path

import pytest

from scripts.supervisor import Child, Policy, Supervisor, cpu_seconds, describe_exit

FAST = Policy(first_delay=0.2, max_delay=0.8, give_up_after=4, give_up_window=30,
              stable_after=60, probe_every=0.1, probe_timeout=0.3, hang_after=1.0,
              start_limit=10)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_child(tmp_path: Path, name: str) -> Child:
    port = free_port()
    command = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
               "--directory", str(tmp_path)]
    return Child(name, command, f"http://127.0.0.1:{port}/", tmp_path / "log" / f"{name}.log")


def sleeper(tmp_path: Path, name: str) -> Child:
    return Child(name, [sys.executable, "-c", "import time; time.sleep(60)"], None,
                 tmp_path / "log" / f"{name}.log")


def poll_until(supervisor: Supervisor, condition, limit: float = 15.0) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        supervisor.poll()
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError("condition not reached in time")


@pytest.fixture
def lines():
    return []


def make(children, tmp_path, lines, policy=FAST) -> Supervisor:
    return Supervisor(children, env={"PATH": "/usr/bin:/bin"}, cwd=tmp_path, policy=policy,
                      announce=lines.append)


def test_a_killed_child_is_restarted_and_the_others_keep_running(tmp_path, lines):
    web, other = http_child(tmp_path, "web"), sleeper(tmp_path, "other")
    supervisor = make([web, other], tmp_path, lines)
    supervisor.start_all()
    try:
        poll_until(supervisor, lambda: web.answered_at is not None)
        first_pid, other_pid = web.process.pid, other.process.pid
        web.process.send_signal(signal.SIGKILL)
        poll_until(supervisor, lambda: web.running and web.process.pid != first_pid
                   and web.down_since is None)
        assert other.process.pid == other_pid and other.running
        text = "\n".join(lines)
        assert "The web stopped (exit code -9 (SIGKILL)). Restarting it in 0 s" in text
        assert "Restarted the web (restart 1)" in text
        assert "The web is answering again" in text
    finally:
        supervisor.stop_all(grace=3)


def test_the_backoff_doubles_and_then_the_child_is_given_up(tmp_path, lines):
    crashing = Child("crasher", [sys.executable, "-c", "raise SystemExit(3)"], None,
                     tmp_path / "log" / "crasher.log")
    supervisor = make([crashing], tmp_path, lines)
    supervisor.start_all()
    try:
        poll_until(supervisor, lambda: crashing.gave_up)
    finally:
        supervisor.stop_all(grace=3)
    delays = [line.split("Restarting it in ")[1].split(" s")[0]
              for line in lines if "Restarting it in" in line]
    assert delays == ["0", "0", "1"]  # 0.2, 0.4, 0.8 s, printed to the second
    assert crashing.consecutive_deaths == 3
    assert "exit code 3" in lines[-1] and "will not be restarted again" in lines[-1]
    assert "crisis numbers" in lines[-1]


def test_a_hung_child_is_killed_and_restarted(tmp_path, lines):
    web = http_child(tmp_path, "web")
    supervisor = make([web], tmp_path, lines)
    supervisor.start_all()
    try:
        poll_until(supervisor, lambda: web.answered_at is not None)
        hung_pid = web.process.pid
        web.process.send_signal(signal.SIGSTOP)
        poll_until(supervisor, lambda: web.running and web.process.pid != hung_pid
                   and web.down_since is None)
        assert any("did not answer its health check for 1 s; killed it" in line
                   for line in lines)
    finally:
        supervisor.stop_all(grace=3)


def test_stop_all_stops_even_a_stopped_child(tmp_path, lines):
    child = sleeper(tmp_path, "sleeper")
    supervisor = make([child], tmp_path, lines)
    supervisor.start_all()
    child.process.send_signal(signal.SIGSTOP)
    started = time.monotonic()
    supervisor.stop_all(grace=5)
    assert child.process.returncode is not None
    assert time.monotonic() - started < 5


def test_logs_are_private(tmp_path, lines):
    child = Child("noisy", [sys.executable, "-c", "print('x')"], None, tmp_path / "log" / "n.log")
    supervisor = make([child], tmp_path, lines)
    supervisor.start_all()
    child.process.wait(timeout=10)
    supervisor.stop_all(grace=1)
    assert child.log_path.stat().st_mode & 0o777 == 0o600


def test_describe_exit():
    assert describe_exit(-15) == "exit code -15 (SIGTERM)"
    assert describe_exit(1) == "exit code 1"


BUSY_AND_SILENT = """
import socket, sys
server = socket.socket()
server.bind(("127.0.0.1", int(sys.argv[1])))
server.listen(50)          # connections are accepted by the kernel, never answered
while True:
    pass                   # working flat out, as an overloaded Rasa server does
"""


def test_a_busy_child_that_answers_late_is_not_killed(tmp_path, lines):
    port = free_port()
    child = Child("busy", [sys.executable, "-c", BUSY_AND_SILENT, str(port)],
                  f"http://127.0.0.1:{port}/", tmp_path / "log" / "busy.log")
    supervisor = make([child], tmp_path, lines)
    supervisor.start_all()
    try:
        time.sleep(0.5)
        # Pretend it answered once, so silence after this counts.
        child.answered_at = time.monotonic()
        child.cpu_at_answer = cpu_seconds(child.process.pid)
        pid = child.process.pid
        deadline = time.monotonic() + 3 * FAST.hang_after
        while time.monotonic() < deadline:
            supervisor.poll()
            time.sleep(0.05)
        assert child.process.pid == pid and child.running
        assert any("is working (CPU), so it is left running" in line for line in lines)
    finally:
        supervisor.stop_all(grace=3)
