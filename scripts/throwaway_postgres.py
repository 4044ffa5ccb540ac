"""A real PostgreSQL server in a folder of its own, on a loopback port: for tests, and kept
(`keep=True`) for `make run-scaled` (scripts/run_scaled.py).

Debian's server programs (scripts/ensure-postgres.sh installs them), a cluster made with
initdb, a generated password (scram-sha-256), listening on 127.0.0.1 only. Thrown-away clusters
run with fsync off; kept ones keep PostgreSQL's safe defaults. Run as the `postgres` user when
we are root (PostgreSQL refuses root).
"""

from __future__ import annotations

import glob
import os
import secrets
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from scripts.ports import free_port

USER = "s117"


class PostgresUnavailable(RuntimeError):
    """PostgreSQL could not be started; the message says why and what to do."""


def server_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    if not found:
        raise PostgresUnavailable("Debian's PostgreSQL server programs are missing: run "
                                  "scripts/ensure-postgres.sh (make test does)")
    return Path(found[-1]).parent


@dataclass
class ThrowawayPostgres:
    # Its own folder under /tmp: the postgres user must be able to reach it, and pytest's
    # tmp_path sits in a folder private to root.
    folder: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="s117-pg-")))
    port: int = field(default_factory=free_port)
    password: str = field(default_factory=lambda: secrets.token_urlsafe(24), repr=False)
    keep: bool = False           # keep the data (and reuse it at the next start)
    max_connections: int = 100

    @property
    def initialised(self) -> bool:
        return (self.data / "PG_VERSION").exists()

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{USER}:{self.password}@127.0.0.1:{self.port}/{database}"

    def _run(self, *command: str, timeout: float = 120) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        result = subprocess.run(prefix + list(command), capture_output=True, text=True,
                                timeout=timeout)
        if result.returncode:
            raise PostgresUnavailable(f"{Path(command[0]).name} failed: "
                                      f"{(result.stderr or result.stdout).strip()[-500:]}")

    def start(self) -> "ThrowawayPostgres":
        bin_dir = server_bin()
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not self.initialised:
            self._initdb(bin_dir)
        options = (f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.folder} "
                   f"-c max_connections={self.max_connections} -c unix_socket_permissions=0700")
        if not self.keep:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        log = self.folder / "server.log"
        try:
            self._run(str(bin_dir / "pg_ctl"), "-D", str(self.data), "-o", options, "-w",
                      "-t", "60", "-l", str(log), "start")
        except PostgresUnavailable as error:
            last = log.read_text(errors="replace").strip().splitlines()[-3:] \
                if log.exists() else []
            raise PostgresUnavailable(f"{error} (port {self.port}; {log}: "
                                      f"{' | '.join(last)})") from None
        self._wait_until_answering()
        return self

    def _initdb(self, bin_dir: Path) -> None:
        password_file = self.folder / "password"
        password_file.write_text(self.password + "\n")
        password_file.chmod(0o600)
        if os.geteuid() == 0:
            if shutil.which("runuser") is None:
                raise PostgresUnavailable("running as root needs runuser to start PostgreSQL "
                                          "as the postgres user")
            shutil.chown(self.folder, "postgres", "postgres")
            shutil.chown(password_file, "postgres", "postgres")
        self._run(str(bin_dir / "initdb"), "-D", str(self.data), "-U", USER,
                  "--pwfile", str(password_file), "-A", "scram-sha-256", "-E", "UTF8",
                  "--no-sync", "--locale", "C.UTF-8")
        password_file.unlink()

    def _wait_until_answering(self, limit: float = 30) -> None:
        engine = sa.create_engine(self.url())
        deadline = time.monotonic() + limit
        try:
            while True:
                try:
                    with engine.connect() as connection:
                        connection.execute(sa.text("SELECT 1"))
                    return
                except sa.exc.OperationalError as error:
                    if time.monotonic() > deadline:
                        raise PostgresUnavailable(f"PostgreSQL did not answer: {error}") from None
                    time.sleep(0.2)
        finally:
            engine.dispose()

    def create_database(self, name: str) -> str:
        """Create it unless it exists (Rasa must not create it: with `login_db` set it rebuilds
        its engine without the pool settings). Returns its URL."""
        engine = sa.create_engine(self.url(), isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as connection:
                exists = connection.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = "
                                                    ":name"), {"name": name}).first()
                if not exists:
                    connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
        finally:
            engine.dispose()
        return self.url(name)

    def stop(self) -> None:
        try:
            if (self.data / "postmaster.pid").exists():
                self._run(str(server_bin() / "pg_ctl"), "-D", str(self.data), "-m", "fast",
                          "-w", "stop")
        finally:
            if not self.keep:
                shutil.rmtree(self.folder, ignore_errors=True)
