"""Behind a reverse proxy: the rate limit counts the real client only when the proxy is trusted.

The real uvicorn, started with run_all's own web command, on a free loopback port; Rasa is not
running (the replies are the "cannot answer" message, which is all a rate-limit test needs).
"""

from __future__ import annotations

import os
import socket
import subprocess
import time

import httpx
import pytest

from scripts.run_all import ROOT, Assistant, Ports


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def web_server(monkeypatch):
    started = []

    def start(trusted: str) -> str:
        monkeypatch.setenv("S117_TRUSTED_PROXIES", trusted)
        ports = Ports(web=free_port(), rasa=free_port(), actions=free_port())
        env = dict(os.environ, RASA_URL=f"http://127.0.0.1:{ports.rasa}",
                   S117_RATE_LIMIT_PER_IP_PER_MINUTE="2", S117_SECRET_KEY="p" * 32,
                   PYTHONPATH=str(ROOT))
        process = subprocess.Popen(Assistant(ports).commands()["web server"], cwd=ROOT, env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        started.append(process)
        base = f"http://127.0.0.1:{ports.web}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                    return base
            except httpx.HTTPError:
                time.sleep(0.2)
        raise AssertionError("the web server did not start")

    yield start
    for process in started:
        process.terminate()
        process.wait(timeout=10)


def statuses(base: str, forwarded_for: list[str]) -> list[int]:
    return [httpx.post(base + "/api/chat", json={"message": "hello"}, timeout=10,
                       headers={"X-Forwarded-For": client}).status_code
            for client in forwarded_for]


def test_without_trusted_proxies_x_forwarded_for_is_ignored(web_server):
    base = web_server("")
    # Everyone comes from 127.0.0.1: a forged header cannot buy a fresh allowance.
    assert statuses(base, ["203.0.113.1", "203.0.113.2", "203.0.113.3"]) == [200, 200, 429]


def test_with_the_proxy_trusted_each_real_client_has_its_own_limit(web_server):
    base = web_server("127.0.0.1")
    assert statuses(base, ["203.0.113.1", "203.0.113.1", "203.0.113.1"]) == [200, 200, 429]
    assert statuses(base, ["203.0.113.2"]) == [200]
