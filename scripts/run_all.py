"""Starts the three processes of the assistant and watches them: `make run` calls this.

  action server  127.0.0.1:ACTIONS_PORT (rasa-sdk)        loopback only
  Rasa server    127.0.0.1:RASA_PORT    (REST channel)    loopback only, no --enable-api, no --cors
  web server     WEB_HOST:WEB_PORT      (FastAPI)         the only public surface

It waits until a real question gets a real answer, then prints the address. Ctrl-C stops all
three; if one dies, it says which and stops the others. Each process logs to var/log/NAME.log.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
READY_QUESTION = "what is section 117"


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


@dataclass
class Assistant:
    ports: Ports
    model: Path = ROOT / "models" / "current.tar.gz"
    var_dir: Path = ROOT / "var"
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    def environment(self) -> dict[str, str]:
        env = dict(os.environ)
        env.setdefault("TRACKER_DB", str(self.var_dir / "tracker.db"))
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
                           "--no-server-header", "--ws", "none"],  # Rasa pins an old websockets
        }

    def log_path(self, name: str) -> Path:
        return self.var_dir / "log" / (name.replace(" ", "-") + ".log")

    def start(self) -> None:
        (self.var_dir / "log").mkdir(parents=True, exist_ok=True)
        env = self.environment()
        for name, command in self.commands().items():
            log = open(self.log_path(name), "ab")
            # A process group of its own, so stopping it also stops its workers.
            self.processes[name] = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True)

    def dead(self) -> str | None:
        for name, process in self.processes.items():
            if process.poll() is not None:
                return name
        return None

    def ask(self, question: str, timeout: float = 15) -> list[dict]:
        url = f"http://{self.ports.web_host}:{self.ports.web}/api/chat"
        request = urllib.request.Request(url, data=json.dumps({"message": question}).encode(),
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.load(response)["messages"]

    def wait_until_answering(self, limit_seconds: float = 600) -> list[dict]:
        """Ask a real question until a real answer (not the 'cannot answer' message) comes."""
        deadline = time.monotonic() + limit_seconds
        while time.monotonic() < deadline:
            name = self.dead()
            if name:
                raise RuntimeError(f"The {name} stopped while starting. See {self.log_path(name)}")
            try:
                messages = self.ask(READY_QUESTION)
                if messages and (messages[0].get("custom") or {}).get("kind") != "error":
                    return messages
            except urllib.error.HTTPError as error:
                # The web server is up but broken: waiting longer will not help.
                raise RuntimeError(f"The web server answered {error.code}. "
                                   f"See {self.log_path('web server')}") from None
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                pass  # not listening yet
            time.sleep(1)
        raise RuntimeError(f"The assistant did not answer within {limit_seconds:.0f} seconds")

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for process in self.processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def _tail(path: Path, lines: int = 15) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def main() -> int:
    assistant = Assistant(Ports.from_env())
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
        while not stopping:
            name = assistant.dead()
            if name:
                print(f"The {name} stopped unexpectedly. Stopping the others.\n"
                      f"Last lines of {assistant.log_path(name)}:\n"
                      f"{_tail(assistant.log_path(name))}", file=sys.stderr, flush=True)
                return 1
            time.sleep(0.5)
        print("Stopping…", flush=True)
        return 0
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
