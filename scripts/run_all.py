"""Starts the three processes of the assistant and watches them: `make run` calls this.

  action server  127.0.0.1:ACTIONS_PORT (rasa-sdk)        loopback only
  Rasa server    127.0.0.1:RASA_PORT    (REST channel)    loopback only, no --enable-api, no --cors
  web server     WEB_HOST:WEB_PORT      (FastAPI)         the only public surface

With RASA_REPLICAS=N (the scaled mode, scripts/run_scaled.py) there are N Rasa servers on
RASA_PORT, RASA_PORT+1, ... each with its own action server on ACTIONS_PORT+i, sharing the
PostgreSQL tracker store and the Redis lock store; the web backend routes each conversation to
one of them (web/rasa_client.py). WEB_WORKERS=N runs N uvicorn workers.

It waits until a real question gets a real answer, then prints the address. From then on
scripts/supervisor.py watches them: one that dies or hangs is restarted with backoff while the
others keep running (the page answers with the crisis numbers meanwhile). Ctrl-C stops them
all. Each process logs to var/log/NAME.log; var/ is private to this user (0700, files 0600).
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from scripts.supervisor import Child, Policy, Supervisor

ROOT = Path(__file__).resolve().parents[1]
# Rasa's PostgreSQL pool is 50 + 100 connections per process by default: a few replicas would
# pass PostgreSQL's default of 100. Ignored for SQLite. run_scaled sizes max_connections on it.
SQL_POOL_DEFAULTS = {"SQL_POOL_SIZE": "10", "SQL_MAX_OVERFLOW": "10"}
@dataclass
class Ports:
    web_host: str = "127.0.0.1"
    web: int = 8000
    rasa: int = 5005       # replica i (from 0) listens on rasa + i
    actions: int = 5055    # and uses the action server on actions + i
    replicas: int = 1      # RASA_REPLICAS: Rasa servers, each with its own action server
    web_workers: int = 1   # WEB_WORKERS: uvicorn worker processes

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> "Ports":
        env = dict(os.environ if env is None else env)
        return cls(web_host=env.get("WEB_HOST", "127.0.0.1"),
                   web=_whole(env, "WEB_PORT", 8000),
                   rasa=_whole(env, "RASA_PORT", 5005),
                   actions=_whole(env, "ACTIONS_PORT", 5055),
                   replicas=_whole(env, "RASA_REPLICAS", 1, lowest=1, highest=16),
                   web_workers=_whole(env, "WEB_WORKERS", 1, lowest=1, highest=32))

    def rasa_port(self, replica: int) -> int:
        return self.rasa + replica

    def actions_port(self, replica: int) -> int:
        return self.actions + replica


def _whole(env: dict[str, str], name: str, default: int, lowest: int = 1,
           highest: int = 65535) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not lowest <= int(raw) <= highest:
        raise ValueError(f"{name} must be a whole number from {lowest} to {highest}, not {raw!r}")
    return int(raw)


def check_scaled_settings(ports: Ports, env: dict[str, str]) -> list[str]:
    """Refuse replicas without shared stores; return warnings for what works but is weaker."""
    if ports.replicas > 1 and not env.get("TRACKER_STORE_URL", "").strip():
        raise ValueError("RASA_REPLICAS above 1 needs TRACKER_STORE_URL (PostgreSQL): the "
                         "replicas must share the conversations. `make run-scaled` sets it up.")
    if ports.replicas > 1 and not env.get("LOCK_STORE_URL", "").strip():
        raise ValueError("RASA_REPLICAS above 1 needs LOCK_STORE_URL (Redis) for the "
                         "conversation locks. `make run-scaled` sets it up.")
    warnings = []
    if ports.web_workers > 1 and not env.get("LOCK_STORE_URL", "").strip():
        warnings.append(f"WEB_WORKERS={ports.web_workers} without LOCK_STORE_URL: each worker "
                        "counts rate limits alone, so the limits are per worker.")
    return warnings


def private_files(var_dir: Path, tracker_db: Path | None = None,
                  var_mode: int = 0o700) -> list[str]:
    """Make var/ 0700 and every file in it (and the tracker database) 0600. Returns what changed.

    Conversations are personal: no other user of the machine may read them or the logs.
    var_mode 0711 lets another user pass through var/ without listing it: the scaled mode run
    as root needs that for the postgres user to reach var/postgres (its own, 0700).
    """
    changed = []
    var_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    before = var_dir.stat().st_mode & 0o777
    target = (before & 0o700) | (var_mode & 0o011)  # never widens the owner's own bits
    if target != before:
        var_dir.chmod(target)
        if before & ~target:
            changed.append(f"{var_dir} {oct(before)} -> {oct(target)}")
    paths = list(var_dir.rglob("*"))
    if tracker_db is not None:
        paths += [p for p in (tracker_db, Path(f"{tracker_db}-journal"), Path(f"{tracker_db}-wal"),
                              Path(f"{tracker_db}-shm")) if p.exists()]
    for path in paths:
        if path.is_symlink() or path.is_socket():
            continue  # a socket's mode is its server's business (PostgreSQL's is 0700)
        wanted = 0o700 if path.is_dir() else 0o600
        mode = path.stat().st_mode & 0o777
        if mode & ~wanted:
            path.chmod(mode & wanted)
            changed.append(f"{path} {oct(mode)} -> {oct(mode & wanted)}")
    return changed


def policy_from_env(env: dict[str, str]) -> Policy:
    raw = env.get("S117_RESTART_HUNG_AFTER", "")
    if not raw:
        return Policy()
    try:
        seconds = float(raw)
    except ValueError:
        raise ValueError(f"S117_RESTART_HUNG_AFTER must be a number of seconds, not {raw!r}") \
            from None
    if seconds < 3:
        raise ValueError("S117_RESTART_HUNG_AFTER must be at least 3 seconds")
    return Policy(hang_after=seconds)


def proxy_flags(trusted: str) -> list[str]:
    """uvicorn's proxy options. Off unless S117_TRUSTED_PROXIES names the proxies' addresses.

    Off by default: otherwise uvicorn believes X-Forwarded-For from 127.0.0.1, and anyone on the
    machine could pick the address the rate limit counts.
    """
    trusted = trusted.strip()
    if not trusted:
        return ["--no-proxy-headers"]
    for address in trusted.split(","):
        if not address.strip() or any(c.isspace() for c in address.strip()):
            raise ValueError("S117_TRUSTED_PROXIES must be addresses separated by commas, "
                             f"like 127.0.0.1,10.0.0.5, not {trusted!r}")
    return ["--proxy-headers", "--forwarded-allow-ips", trusted]


@dataclass
class Assistant:
    ports: Ports
    model: Path = ROOT / "models" / "current.tar.gz"
    var_dir: Path = ROOT / "var"
    policy: Policy | None = None
    var_mode: int = 0o700   # 0o711 in the scaled mode as root (see private_files)
    supervisor: Supervisor | None = field(default=None, init=False)
    # One key for this run, so a web server restarted by the supervisor keeps everyone's
    # session (without S117_SECRET_KEY each web process would make its own).
    _run_secret: str = field(default_factory=lambda: secrets.token_hex(32), repr=False)

    def environment(self) -> dict[str, str]:
        env = dict(os.environ)
        env.setdefault("TRACKER_DB", str(self.var_dir / "tracker.db"))
        # endpoints.yml names these; empty means SQLite and an in-memory lock.
        env.setdefault("TRACKER_STORE_URL", "")
        env.setdefault("LOCK_STORE_URL", "")
        for name, value in SQL_POOL_DEFAULTS.items():
            env.setdefault(name, value)
        # One BLAS thread. With OpenBLAS's default (one per core) its helper thread spins
        # (sched_yield) after every small matrix product of a turn: in the Rasa server it
        # burnt 0.7 of a core under load, which the other two processes needed. 50 at once,
        # one run each: 33.6 -> 43.4 turns/s, Rasa's CPU per turn 44 -> 23 ms.
        env.setdefault("OPENBLAS_NUM_THREADS", "1")
        if not env.get("S117_SECRET_KEY"):
            env["S117_SECRET_KEY"] = self._run_secret
        env.update({
            "RASA_TELEMETRY_ENABLED": "false",
            "SANIC_HOST": "127.0.0.1",  # the action server binds here (rasa-sdk reads it)
            "ACTION_SERVER_URL": self._action_url(0),
            "RASA_URL": ",".join(f"http://127.0.0.1:{self.ports.rasa_port(i)}"
                                 for i in range(self.ports.replicas)),
            "PYTHONPATH": str(ROOT),
            "TF_CPP_MIN_LOG_LEVEL": "2",
        })
        return env

    def _action_url(self, replica: int) -> str:
        return f"http://127.0.0.1:{self.ports.actions_port(replica)}/webhook"

    def _name(self, kind: str, replica: int) -> str:
        return kind if self.ports.replicas == 1 else f"{kind} {replica + 1}"

    def commands(self) -> dict[str, list[str]]:
        bin_dir = Path(sys.executable).parent
        rasa = str(bin_dir / "rasa")
        commands: dict[str, list[str]] = {}
        for replica in range(self.ports.replicas):
            commands[self._name("action server", replica)] = [
                rasa, "run", "actions", "--actions", "actions",
                "--port", str(self.ports.actions_port(replica))]
            # `rasa run`, with skops imported first and DIET built eagerly: see the module.
            commands[self._name("Rasa server", replica)] = [
                sys.executable, "-m", "scripts.rasa_server", "run", "--model", str(self.model),
                "--interface", "127.0.0.1",
                "--port", str(self.ports.rasa_port(replica)),
                "--endpoints", "endpoints.yml", "--credentials", "credentials.yml"]
        workers = ["--workers", str(self.ports.web_workers)] if self.ports.web_workers > 1 else []
        commands["web server"] = [
            sys.executable, "-m", "uvicorn", "web.app:app_from_env", "--factory",
            "--host", self.ports.web_host, "--port", str(self.ports.web),
            "--no-server-header", "--ws", "none",  # Rasa pins an old websockets
            *workers, *proxy_flags(os.environ.get("S117_TRUSTED_PROXIES", ""))]
        return commands

    def child_environments(self) -> dict[str, dict[str, str]]:
        """What differs per child: each Rasa replica calls its own action server."""
        return {self._name("Rasa server", replica): {"ACTION_SERVER_URL": self._action_url(replica)}
                for replica in range(self.ports.replicas)}

    def health_urls(self) -> dict[str, str]:
        urls = {}
        for replica in range(self.ports.replicas):
            urls[self._name("action server", replica)] = \
                f"http://127.0.0.1:{self.ports.actions_port(replica)}/health"
            urls[self._name("Rasa server", replica)] = \
                f"http://127.0.0.1:{self.ports.rasa_port(replica)}/"
        urls["web server"] = f"http://{self.ports.web_host}:{self.ports.web}/healthz"
        return urls

    def log_path(self, name: str) -> Path:
        return self.var_dir / "log" / (name.replace(" ", "-") + ".log")

    def start(self, announce=lambda line: print(line, flush=True)) -> None:
        env = self.environment()
        for change in private_files(self.var_dir, Path(env["TRACKER_DB"]), self.var_mode):
            announce(f"Made private (readable by this user only): {change}")
        (self.var_dir / "log").mkdir(mode=0o700, parents=True, exist_ok=True)
        health = self.health_urls()
        extra = self.child_environments()
        children = [Child(name, command, health[name], self.log_path(name),
                          env=extra.get(name, {}))
                    for name, command in self.commands().items()]
        self.supervisor = Supervisor(children, env=env, cwd=ROOT,
                                     policy=self.policy or policy_from_env(env),
                                     announce=announce)
        self.supervisor.start_all()

    def dead(self) -> str | None:
        return self.supervisor.dead() if self.supervisor else None

    def pid(self, name: str) -> int:
        return self.supervisor.children[name].process.pid

    def ready(self, timeout: float = 30) -> bool:
        """GET /readyz: the web backend asks Rasa a real question (the model, the actions and
        the tracker store) in a probe conversation it deletes at once, and counts nothing, so
        starting up leaves no conversation behind and no 'cannot answer' in the insights.
        With replicas, ready means every replica answered."""
        url = f"http://{self.ports.web_host}:{self.ports.web}/readyz"
        try:
            with urllib.request.urlopen(url, timeout=timeout) as response:
                return json.load(response).get("status") == "ready"
        except urllib.error.HTTPError as error:
            if error.code == 503:
                return False  # up, but Rasa is not answering yet
            raise

    def wait_until_answering(self, limit_seconds: float = 600) -> None:
        """Wait until a real question gets a real answer.

        While starting, a process that dies is a fault to report, not to restart.
        """
        deadline = time.monotonic() + limit_seconds
        while time.monotonic() < deadline:
            name = self.dead()
            if name:
                raise RuntimeError(f"The {name} stopped while starting. See {self.log_path(name)}")
            try:
                if self.ready():
                    return
            except urllib.error.HTTPError as error:
                # The web server is up but broken: waiting longer will not help.
                raise RuntimeError(f"The web server answered {error.code}. "
                                   f"See {self.log_path('web server')}") from None
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                pass  # not listening yet
            time.sleep(1)
        raise RuntimeError(f"The assistant did not answer within {limit_seconds:.0f} seconds")

    def supervise(self, should_stop) -> int:
        """Watch until should_stop() is true. 1 if the web server had to be given up."""
        while not should_stop():
            if "web server" in self.supervisor.poll():
                print("Without the web server nothing can answer. Stopping.", file=sys.stderr,
                      flush=True)
                return 1
            time.sleep(0.5)
        return 0

    def stop(self) -> None:
        if self.supervisor:
            self.supervisor.stop_all()


def _tail(path: Path, lines: int = 15) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def main(var_mode: int = 0o700) -> int:
    try:
        ports = Ports.from_env()
        warnings = check_scaled_settings(ports, dict(os.environ))
        assistant = Assistant(ports, policy=policy_from_env(dict(os.environ)), var_mode=var_mode)
        proxy_flags(os.environ.get("S117_TRUSTED_PROXIES", ""))
    except ValueError as error:
        print(error, file=sys.stderr)
        return 1
    if not assistant.model.exists():
        print("No trained model. Run `make run` (it trains first).", file=sys.stderr)
        return 1
    # A bad contacts file stops start-up with the line at fault; it never half-loads.
    from bot.contacts import startup_check
    code, report = startup_check()
    if code:
        print(report, file=sys.stderr)
        return 1
    stopping = False

    def on_signal(signum, frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    started = time.monotonic()
    for warning in warnings:
        print(f"Warning: {warning}", file=sys.stderr, flush=True)
    if ports.replicas == 1:
        print("Starting the action server, the Rasa server and the web server…", flush=True)
    else:
        print(f"Starting {ports.replicas} Rasa replicas with their action servers, and the web "
              f"server ({ports.web_workers} worker{'s' if ports.web_workers > 1 else ''})…",
              flush=True)
    assistant.start()
    try:
        assistant.wait_until_answering()
        print(f"Ready in {time.monotonic() - started:.0f} s. "
              f"Open http://{assistant.ports.web_host}:{assistant.ports.web}/ "
              "(Ctrl-C stops them all.)", flush=True)
        code = assistant.supervise(lambda: stopping)
        print("Stopping…", flush=True)
        return code
    except RuntimeError as error:
        name = assistant.dead()
        detail = f"\nLast lines of {assistant.log_path(name)}:\n{_tail(assistant.log_path(name))}" \
            if name else ""
        print(f"{error}{detail}", file=sys.stderr, flush=True)
        return 1
    finally:
        assistant.stop()


if __name__ == "__main__":
    sys.exit(main())
