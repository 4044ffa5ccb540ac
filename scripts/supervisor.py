"""Keeps the assistant's processes running: `scripts/run_all.py` uses it.

A child that dies, or stops answering its health check, is restarted after 1 s, 2 s, 4 s...
(capped), while the others keep running, so the web page goes on answering with the friendly
"cannot answer right now" message and the crisis numbers. A child that keeps dying is given up
with a clear message instead of being restarted for ever. Every change is one line on the
supervisor's output: which process, its exit code, and when it answered again.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable


@dataclass(frozen=True)
class Policy:
    first_delay: float = 1.0      # seconds before the first restart
    max_delay: float = 30.0       # the backoff doubles up to this
    give_up_after: int = 5        # this many deaths...
    give_up_window: float = 300.0  # ...within this many seconds: stop restarting
    stable_after: float = 60.0    # up this long: the next death starts the backoff again
    probe_every: float = 2.0      # health checks, once answering
    probe_timeout: float = 2.0
    # No answer to the health check for this long, and (where /proc tells) hardly any CPU used
    # meanwhile: hung, so killed and restarted. An overloaded Rasa server answers its health
    # check late too, but it is working; killing it would turn a slow minute into an outage.
    hang_after: float = 30.0
    busy_share: float = 0.2       # CPU seconds per second above which a silent child is busy
    start_limit: float = 300.0    # never answered this long after a (re)start: hung too


@dataclass
class Child:
    name: str
    command: list[str]
    health_url: str | None
    log_path: Path
    env: dict[str, str] = field(default_factory=dict)  # on top of the supervisor's
    process: subprocess.Popen | None = None
    started_at: float = 0.0
    answered_at: float | None = None    # last health check answered since this start
    consecutive_deaths: int = 0
    deaths: deque[float] = field(default_factory=deque)
    restart_at: float | None = None
    down_since: float | None = None
    gave_up: bool = False
    probe: Future | None = None
    probed_at: float = 0.0
    cpu_at_answer: float | None = None
    said_busy: bool = False

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None


def describe_exit(code: int | None) -> str:
    if code is None:
        return "still running"
    if code < 0:
        try:
            return f"exit code {code} ({signal.Signals(-code).name})"
        except ValueError:
            return f"exit code {code}"
    return f"exit code {code}"


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process, from /proc; None where that cannot be read."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def answers(url: str, timeout: float) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return 200 <= response.status < 300
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError, ValueError):
        return False


class Supervisor:
    """Starts, watches and restarts children. Call poll() regularly (run_all: every 0.5 s)."""

    def __init__(self, children: list[Child], *, env: dict[str, str], cwd: Path,
                 policy: Policy = Policy(), announce: Callable[[str], None] = print,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.children = {child.name: child for child in children}
        self.env, self.cwd, self.policy = env, cwd, policy
        self.announce, self.clock = announce, clock
        self._probes = ThreadPoolExecutor(max_workers=max(1, len(children)),
                                          thread_name_prefix="health")

    # --- starting and stopping ----------------------------------------------------------

    def start_all(self) -> None:
        for child in self.children.values():
            self._start(child)

    def _start(self, child: Child) -> None:
        child.log_path.parent.mkdir(parents=True, exist_ok=True)
        # 0600 from the start: the logs are private even before anyone checks them.
        log = os.fdopen(os.open(child.log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600),
                        "ab")
        with log:
            # A process group of its own, so stopping it also stops its workers; umask 077 so
            # the tracker database and anything else it creates is readable by us only.
            child.process = subprocess.Popen(
                child.command, cwd=self.cwd, env={**self.env, **child.env}, stdout=log,
                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
                umask=0o077)
        child.started_at = self.clock()
        child.answered_at = None
        child.cpu_at_answer = None
        child.restart_at = None
        child.probe = None

    def stop_all(self, grace: float = 15.0) -> None:
        for child in self.children.values():
            if child.running:
                _signal_group(child.process, signal.SIGTERM)
                _signal_group(child.process, signal.SIGCONT)  # a stopped process cannot exit
        deadline = time.monotonic() + grace
        for child in self.children.values():
            if child.process is None:
                continue
            try:
                child.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _signal_group(child.process, signal.SIGKILL)
                child.process.wait()
        self._probes.shutdown(wait=False, cancel_futures=True)

    def dead(self) -> str | None:
        """The name of a child that is not running (used while starting, where any is fatal)."""
        for child in self.children.values():
            if not child.running:
                return child.name
        return None

    # --- watching -----------------------------------------------------------------------

    def poll(self) -> list[str]:
        """One round of watching. Returns the names of children given up this round."""
        now = self.clock()
        given_up = []
        for child in self.children.values():
            if child.gave_up:
                continue
            if child.restart_at is not None:
                if now >= child.restart_at:
                    self._start(child)
                    self.announce(f"{_clock()} Restarted the {child.name} "
                                  f"(restart {child.consecutive_deaths}).")
                continue
            if not child.running:
                code = child.process.returncode if child.process else None
                if self._died(child, now, f"stopped ({describe_exit(code)})"):
                    given_up.append(child.name)
                continue
            self._check_health(child, now)
            if self._hung(child, now):
                waited = now - (child.answered_at or child.started_at)
                _signal_group(child.process, signal.SIGKILL)
                child.process.wait()
                if self._died(child, now, f"did not answer its health check for {waited:.0f} s; "
                                          "killed it"):
                    given_up.append(child.name)
        return given_up

    def _check_health(self, child: Child, now: float) -> None:
        if child.health_url is None:
            child.answered_at = now
        elif child.probe is not None and child.probe.done():
            if child.probe.result():
                if child.down_since is not None:
                    self.announce(f"{_clock()} The {child.name} is answering again, "
                                  f"{now - child.down_since:.1f} s after it went down.")
                    child.down_since = None
                child.answered_at = now
                child.cpu_at_answer = cpu_seconds(child.process.pid)
                child.said_busy = False
            child.probe = None
        elif child.probe is None and now - child.probed_at >= self.policy.probe_every:
            child.probed_at = now
            child.probe = self._probes.submit(answers, child.health_url,
                                              self.policy.probe_timeout)
        if (child.answered_at is not None and child.consecutive_deaths
                and now - child.started_at >= self.policy.stable_after):
            child.consecutive_deaths = 0  # stable again: the next death waits 1 s, not 30

    def _hung(self, child: Child, now: float) -> bool:
        if child.health_url is None:
            return False
        if child.answered_at is None:
            return now - child.started_at > self.policy.start_limit
        silent = now - child.answered_at
        if silent <= self.policy.hang_after:
            return False
        used = cpu_seconds(child.process.pid)
        if used is not None and child.cpu_at_answer is not None \
                and used - child.cpu_at_answer > self.policy.busy_share * silent:
            if not child.said_busy:
                self.announce(f"{_clock()} The {child.name} has not answered its health check "
                              f"for {silent:.0f} s but is working (CPU), so it is left running.")
                child.said_busy = True
            return False
        return True

    def _died(self, child: Child, now: float, how: str) -> bool:
        """Record a death and schedule the restart. True when this child is given up."""
        policy = self.policy
        child.deaths.append(now)
        while child.deaths and now - child.deaths[0] > policy.give_up_window:
            child.deaths.popleft()
        if child.down_since is None:
            child.down_since = now
        if len(child.deaths) >= policy.give_up_after:
            child.gave_up = True
            self.announce(
                f"{_clock()} The {child.name} {how}. It has stopped {len(child.deaths)} times in "
                f"{policy.give_up_window / 60:.0f} minutes, so it will not be restarted again. "
                f"Until it is fixed the page answers 'cannot answer right now' with the crisis "
                f"numbers. See {child.log_path}.")
            return True
        child.consecutive_deaths += 1
        delay = min(policy.max_delay, policy.first_delay * 2 ** (child.consecutive_deaths - 1))
        child.restart_at = now + delay
        self.announce(f"{_clock()} The {child.name} {how}. Restarting it in {delay:.0f} s; "
                      "the others keep running.")
        return False


def _signal_group(process: subprocess.Popen, signum: int) -> None:
    try:
        os.killpg(process.pid, signum)
    except (ProcessLookupError, PermissionError):
        pass


def _clock() -> str:
    return time.strftime("%H:%M:%S")
