"""A real Redis server in a folder of its own, on a loopback port: for tests, and kept
(`keep=True`) for `make run-scaled` (scripts/run_scaled.py).

Debian's redis-server (scripts/ensure-redis.sh installs it), bound to 127.0.0.1 only, with a
generated password. The password is in a config file readable by us only, never on the
command line where `ps` would show it. Kept servers save to an append-only file in the folder.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from scripts.ports import free_port


class RedisUnavailable(RuntimeError):
    """Redis could not be started; the message says why and what to do."""


def server_program() -> str:
    found = shutil.which("redis-server") or ("/usr/bin/redis-server"
                                             if Path("/usr/bin/redis-server").exists() else None)
    if not found:
        raise RedisUnavailable("Debian's redis-server is missing: run scripts/ensure-redis.sh "
                               "(make test and make run-scaled do)")
    return found


@dataclass
class ThrowawayRedis:
    folder: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="s117-redis-")))
    port: int = field(default_factory=free_port)
    password: str = field(default_factory=lambda: secrets.token_urlsafe(24), repr=False)
    keep: bool = False
    process: subprocess.Popen | None = field(default=None, repr=False)

    def url(self, db: int = 1) -> str:
        return f"redis://:{self.password}@127.0.0.1:{self.port}/{db}"

    def start(self) -> "ThrowawayRedis":
        program = server_program()
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        config = self.folder / "redis.conf"
        persistence = ["appendonly yes", "save 300 1"] if self.keep else ["appendonly no",
                                                                           'save ""']
        lines = ["bind 127.0.0.1", "protected-mode yes", f"port {self.port}",
                 f"requirepass {self.password}", f"dir {self.folder}", "daemonize no",
                 f"logfile {self.folder / 'server.log'}", *persistence]
        fd = os.open(config, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write("\n".join(lines) + "\n")
        self.process = subprocess.Popen([program, str(config)], stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL, start_new_session=True,
                                        umask=0o077)
        self._wait_until_answering()
        return self

    def _wait_until_answering(self, limit: float = 20) -> None:
        import redis

        client = redis.Redis(host="127.0.0.1", port=self.port, password=self.password,
                             socket_timeout=1)
        deadline = time.monotonic() + limit
        try:
            while True:
                if self.process.poll() is not None:
                    log = self.folder / "server.log"
                    tail = log.read_text(errors="replace")[-500:] if log.exists() else ""
                    raise RedisUnavailable(f"redis-server stopped at once: {tail.strip()}")
                try:
                    if client.ping():
                        return
                except (redis.ConnectionError, redis.TimeoutError, OSError):
                    pass
                if time.monotonic() > deadline:
                    raise RedisUnavailable(f"Redis did not answer on port {self.port}")
                time.sleep(0.1)
        finally:
            client.close()

    def stop(self) -> None:
        try:
            if self.process is not None and self.process.poll() is None:
                self.process.terminate()  # SIGTERM: Redis saves (when kept) and exits
                try:
                    self.process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
        finally:
            if not self.keep:
                shutil.rmtree(self.folder, ignore_errors=True)
