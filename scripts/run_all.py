"""Starts the three processes of the assistant and watches them: `make run` calls this.

  action server  127.0.0.1:ACTIONS_PORT (rasa-sdk)        loopback only
  Rasa server    127.0.0.1:RASA_PORT    (REST channel)    loopback only, no --enable-api, no --cors
  web server     WEB_HOST:WEB_PORT      (FastAPI)         the only public surface

It waits until a real question gets a real answer, then prints the address. From then on
scripts/supervisor.py watches them: one that dies or hangs is restarted with backoff while the
others keep running (the page answers with the crisis numbers meanwhile). Ctrl-C stops all
three. Each process logs to var/log/NAME.log; var/ is private to this user (0700, files 0600).
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
@dataclass
class Ports:
    web_host: str = "127.0.0.1"
    web: int = 8000
    rasa: int = 5005
    actions: int = 5055

    @classmethod
    def from_env(cls) -> "Ports":
        return cls(web_host=os.environ.get("WEB_HOST", "127.0.0.1"),
                   web=int(os.environ.get("WEB_PORT", "8000")),
                   rasa=int(os.environ.get("RASA_PORT", "5005")),
                   actions=int(os.environ.get("ACTIONS_PORT", "5055")))


def private_files(var_dir: Path, tracker_db: Path | None = None) -> list[str]:
    """Make var/ 0700 and every file in it (and the tracker database) 0600. Returns what changed.

    Conversations are personal: no other user of the machine may read them or the logs.
    """
    changed = []
    var_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    paths = [var_dir, *var_dir.rglob("*")]
    if tracker_db is not None:
        paths += [p for p in (tracker_db, Path(f"{tracker_db}-journal"), Path(f"{tracker_db}-wal"),
                              Path(f"{tracker_db}-shm")) if p.exists()]
    for path in paths:
        if path.is_symlink():
            continue
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
    supervisor: Supervisor | None = field(default=None, init=False)
    # One key for this run, so a web server restarted by the supervisor keeps everyone's
    # session (without S117_SECRET_KEY each web process would make its own).
    _run_secret: str = field(default_factory=lambda: secrets.token_hex(32), repr=False)

    def environment(self) -> dict[str, str]:
        env = dict(os.environ)
        env.setdefault("TRACKER_DB", str(self.var_dir / "tracker.db"))
        if not env.get("S117_SECRET_KEY"):
            env["S117_SECRET_KEY"] = self._run_secret
        env.update({
            "RASA_TELEMETRY_ENABLED": "false",
            "SANIC_HOST": "127.0.0.1",  # the action server binds here (rasa-sdk reads it)
            "ACTION_SERVER_URL": f"http://127.0.0.1:{self.ports.actions}/webhook",
            "RASA_URL": f"http://127.0.0.1:{self.ports.rasa}",
            "PYTHONPATH": str(ROOT),
            "TF_CPP_MIN_LOG_LEVEL": "2",
        })
        return env

    def commands(self) -> dict[str, list[str]]:
        bin_dir = Path(sys.executable).parent
        rasa = str(bin_dir / "rasa")
        return {
            "action server": [rasa, "run", "actions", "--actions", "actions",
                              "--port", str(self.ports.actions)],
            "Rasa server": [rasa, "run", "--model", str(self.model),
                            "--interface", "127.0.0.1", "--port", str(self.ports.rasa),
                            "--endpoints", "endpoints.yml", "--credentials", "credentials.yml"],
            "web server": [sys.executable, "-m", "uvicorn", "web.app:app_from_env", "--factory",
                           "--host", self.ports.web_host, "--port", str(self.ports.web),
                           "--no-server-header", "--ws", "none",  # Rasa pins an old websockets
                           *proxy_flags(os.environ.get("S117_TRUSTED_PROXIES", ""))],
        }

    def health_urls(self) -> dict[str, str]:
        return {"action server": f"http://127.0.0.1:{self.ports.actions}/health",
                "Rasa server": f"http://127.0.0.1:{self.ports.rasa}/",
                "web server": f"http://{self.ports.web_host}:{self.ports.web}/healthz"}

    def log_path(self, name: str) -> Path:
        return self.var_dir / "log" / (name.replace(" ", "-") + ".log")

    def start(self, announce=lambda line: print(line, flush=True)) -> None:
        env = self.environment()
        for change in private_files(self.var_dir, Path(env["TRACKER_DB"])):
            announce(f"Made private (readable by this user only): {change}")
        (self.var_dir / "log").mkdir(mode=0o700, parents=True, exist_ok=True)
        health = self.health_urls()
        children = [Child(name, command, health[name], self.log_path(name))
                    for name, command in self.commands().items()]
        self.supervisor = Supervisor(children, env=env, cwd=ROOT,
                                     policy=self.policy or policy_from_env(env),
                                     announce=announce)
        self.supervisor.start_all()

    def dead(self) -> str | None:
        return self.supervisor.dead() if self.supervisor else None

    def pid(self, name: str) -> int:
        return self.supervisor.children[name].process.pid

    def ready(self, timeout: float = 15) -> bool:
        """GET /readyz: the web backend asks Rasa a real question (the model, the actions and
        the tracker store) in a probe conversation it deletes at once, and counts nothing, so
        starting up leaves no conversation behind and no 'cannot answer' in the insights."""
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


def main() -> int:
    try:
        assistant = Assistant(Ports.from_env(), policy=policy_from_env(dict(os.environ)))
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
    print("Starting the action server, the Rasa server and the web server…", flush=True)
    assistant.start()
    try:
        assistant.wait_until_answering()
        print(f"Ready in {time.monotonic() - started:.0f} s. "
              f"Open http://{assistant.ports.web_host}:{assistant.ports.web}/ "
              "(Ctrl-C stops all three.)", flush=True)
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
