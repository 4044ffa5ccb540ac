"""The fault suite: the real assistant (as `make run` starts it, supervised) broken on purpose.

For each fault: no 5xx and no empty reply; a kind answer with the crisis numbers within the
limit; recovery; and a conversation that was going on before the fault still has its facts
afterwards (nothing lost). Free loopback ports, a throw-away var/, every wait bounded. The hang
limit is 8 s here (S117_RESTART_HUNG_AFTER, 30 s by default) so the suite stays short.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import socket
import sqlite3
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

import pytest

from scripts.environ import overridden
from scripts.run_all import ROOT, Assistant, Ports
from scripts.supervisor import Policy
from tests.supervised import supervised
from web import signing

pytestmark = [pytest.mark.faults, pytest.mark.model, pytest.mark.timeout(1500)]

SECRET = "fault-suite-secret-0123456789abcdef0123"
CANARY = "Quillanby"  # a made-up surname in every message: it must reach no log
CRISIS_NUMBERS = ["999", "111", "116 123", "85258"]
HANG_AFTER = 8.0
# Time for a kind answer: at once when a process is down; the web backend's read time-out
# (RASA_READ_TIMEOUT, 10 s) when one hangs, plus a little.
DOWN_LIMIT = 2.0
HANG_LIMIT = 12.0
FIGURES: dict[str, str] = {}  # printed by the last test (pytest -s), for the README
RECOVERY_LIMIT = {"action server": 40.0, "Rasa server": 150.0, "web server": 40.0}


def figure(reply: "Reply", recovered: float, after: str) -> str:
    return (f"reply in {reply.seconds:.2f} s ({reply.kind or reply.status}), "
            f"real answers again {recovered:.1f} s{after or ' after the fault'}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Reply:
    seconds: float
    status: int | str          # an HTTP status, or the name of the connection error
    messages: list[dict]

    @property
    def kind(self) -> str | None:
        return (self.messages[0].get("custom") or {}).get("kind") if self.messages else None

    @property
    def text(self) -> str:
        return "\n\n".join(m.get("text") or "" for m in self.messages)

    @property
    def real_answer(self) -> bool:
        return self.status == 200 and self.kind not in (None, "error")

    @property
    def kind_with_numbers(self) -> bool:
        return self.status == 200 and all(n in self.text for n in CRISIS_NUMBERS)


class Client:
    def __init__(self, assistant: Assistant) -> None:
        self.base = f"http://127.0.0.1:{assistant.ports.web}"
        self.replies: list[Reply] = []

    def post(self, path: str, body: dict, timeout: float = 30) -> Reply:
        request = urllib.request.Request(self.base + path, data=json.dumps(body).encode(),
                                         headers={"Content-Type": "application/json"})
        started = time.monotonic()
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                reply = Reply(time.monotonic() - started, response.status,
                              json.load(response).get("messages", []))
        except urllib.error.HTTPError as error:
            reply = Reply(time.monotonic() - started, error.code, [])
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError) as error:
            reason = getattr(error, "reason", error)
            reply = Reply(time.monotonic() - started, type(reason).__name__, [])
        self.replies.append(reply)
        return reply

    def start(self) -> str:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            request = urllib.request.Request(self.base + "/api/start", data=b"{}",
                                             headers={"Content-Type": "application/json"})
            try:
                with urllib.request.urlopen(request, timeout=15) as response:
                    return json.load(response)["session"]
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                time.sleep(0.5)
        raise AssertionError("no session could be started")

    def chat(self, session: str, message: str, timeout: float = 30) -> Reply:
        return self.post("/api/chat", {"session": session, "message": message}, timeout)

    def ready(self) -> int | str:
        try:
            with urllib.request.urlopen(self.base + "/readyz", timeout=15) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError) as error:
            return type(getattr(error, "reason", error)).__name__

    def wait_for_recovery(self, session: str, limit: float) -> float:
        """Seconds until the conversation gets a real answer again (bounded by limit)."""
        started = time.monotonic()
        while time.monotonic() - started < limit:
            reply = self.chat(session, "what is section 117", timeout=15)
            if reply.real_answer:
                return time.monotonic() - started
            time.sleep(0.5)
        raise AssertionError(f"no real answer within {limit:.0f} s")


@pytest.fixture(scope="module")
def assistant(tmp_path_factory):
    model = ROOT / "models" / "current.tar.gz"
    if not model.exists():
        pytest.fail("No trained model: run `make train` (make test does it for you)")
    # A known key, to find the conversation's rows; rate limits out of the way of the polling.
    settings = {"S117_SECRET_KEY": SECRET, "S117_RATE_LIMIT_PER_MINUTE": "10000",
                "S117_RATE_LIMIT_PER_IP_PER_MINUTE": "10000"}
    var_dir = tmp_path_factory.mktemp("var")
    running = Assistant(Ports(web=free_port(), rasa=free_port(), actions=free_port()),
                        model=model, var_dir=var_dir, policy=Policy(hang_after=HANG_AFTER))
    with overridden(settings), supervised(running):
        yield running


@pytest.fixture(scope="module")
def client(assistant):
    return Client(assistant)


@pytest.fixture(scope="module")
def story(client):
    """A conversation going on before every fault: a carer's situation, noted as slots."""
    session = client.start()
    reply = client.chat(session, f"I'm his sister, {CANARY} is my brother. He was on a section "
                                 "3 and he is in a care home now.")
    assert reply.real_answer, reply.text
    return session


def assert_still_knows_the_story(assistant: Assistant, client: Client, session: str) -> None:
    reply = client.chat(session, "can he get it?")
    assert reply.real_answer, reply.text
    assert reply.text.startswith("Yes. The person you care for can get free help"), reply.text
    conversation = signing.conversation_id(SECRET, session)
    slots = stored_slots(assistant, conversation)
    assert slots.get("role") == "carer"
    assert "3" in json.dumps(slots.get("elig_sections") or slots.get("sections"))


def stored_slots(assistant: Assistant, conversation: str) -> dict:
    with sqlite3.connect(assistant.var_dir / "tracker.db", timeout=10) as db:
        rows = db.execute("SELECT data FROM events WHERE sender_id = ? AND type_name = 'slot' "
                          "ORDER BY id", (conversation,)).fetchall()
    slots = {}
    for (data,) in rows:
        event = json.loads(data)
        slots[event["name"]] = event["value"]
    return slots


def test_files_are_private(assistant, story):
    assert (assistant.var_dir.stat().st_mode & 0o777) == 0o700
    for path in [assistant.var_dir / "tracker.db", *(assistant.var_dir / "log").iterdir()]:
        assert path.stat().st_mode & 0o777 == 0o600, path


@pytest.mark.parametrize("name", ["action server", "Rasa server", "web server"])
def test_a_killed_process_is_restarted_and_nothing_is_lost(assistant, client, story, name):
    client.wait_for_recovery(story, RECOVERY_LIMIT[name])
    old_pid = assistant.pid(name)
    os.kill(old_pid, signal.SIGKILL)
    reply = client.chat(story, f"what is aftercare, {CANARY}?")
    crisis = client.chat(story, "i want to end it all")
    if name == "web server":
        # Nothing listens until it is back: the widget shows its own failure message, which
        # has the crisis numbers (tests/browser/test_failures.py).
        assert reply.status in ("ConnectionRefusedError", "ConnectionResetError",
                                "RemoteDisconnected"), reply.status
    else:
        assert reply.kind_with_numbers and reply.seconds < DOWN_LIMIT, (reply.status,
                                                                        reply.seconds)
        assert crisis.kind == "crisis" and crisis.kind_with_numbers, crisis.text
        assert crisis.seconds < DOWN_LIMIT
        assert client.ready() == 503
    recovered = client.wait_for_recovery(story, RECOVERY_LIMIT[name])
    FIGURES[f"{name} killed"] = figure(reply, recovered, "")
    assert assistant.pid(name) != old_pid
    assert client.ready() == 200
    assert_still_knows_the_story(assistant, client, story)


@pytest.mark.parametrize("name", ["action server", "Rasa server", "web server"])
def test_a_hung_process_is_answered_kindly_then_killed_and_restarted(assistant, client, story,
                                                                     name):
    client.wait_for_recovery(story, RECOVERY_LIMIT[name])
    hung_pid = assistant.pid(name)
    os.kill(hung_pid, signal.SIGSTOP)
    try:
        reply = client.chat(story, f"who pays for it, {CANARY}?", timeout=HANG_LIMIT + 5)
        other = client.start() if name != "web server" else None
        if name != "web server":
            assert reply.kind_with_numbers and reply.seconds < HANG_LIMIT, (reply.status,
                                                                            reply.seconds)
        recovered = client.wait_for_recovery(story, RECOVERY_LIMIT[name] + HANG_AFTER)
        FIGURES[f"{name} hung"] = figure(reply, recovered, "")
        assert assistant.pid(name) != hung_pid  # killed and restarted, not left hanging
        if other:
            assert client.chat(other, "what is aftercare").real_answer
    finally:
        try:
            os.kill(hung_pid, signal.SIGCONT)
        except ProcessLookupError:
            pass
    assert_still_knows_the_story(assistant, client, story)


def test_a_locked_database(assistant, client, story):
    """Another program holds the write lock. The file has a write-ahead log
    (bot/sqlite_files.py), so reading still works: Rasa answers from the whole conversation
    once SQLite's busy time-out (5 s) gives up on saving the turn, and only that turn is not
    kept, as with a full disk. Either a real answer or the kind message, never an error."""
    client.wait_for_recovery(story, 60)
    locker = sqlite3.connect(assistant.var_dir / "tracker.db", isolation_level=None, timeout=10)
    locker.execute("BEGIN EXCLUSIVE")
    try:
        reply = client.chat(story, f"do I have to pay, {CANARY}?")
        assert reply.status == 200 and reply.messages and reply.seconds < HANG_LIMIT, (
            reply.status, reply.seconds)
        assert reply.real_answer or reply.kind_with_numbers, reply.text
    finally:
        locker.execute("ROLLBACK")
        locker.close()
    recovered = client.wait_for_recovery(story, 60)
    FIGURES["database locked"] = figure(reply, recovered, " after it was undone")
    assert_still_knows_the_story(assistant, client, story)


def test_a_corrupted_then_restored_database(assistant, client, story):
    """The file and its write-ahead log overwritten in place, as a failing disk would: the
    log's copies of recent pages would otherwise still answer for a damaged file."""
    client.wait_for_recovery(story, 60)
    paths = [assistant.var_dir / name for name in ("tracker.db", "tracker.db-wal")]
    good = {path: path.read_bytes() for path in paths if path.is_file()}
    try:
        for path, content in good.items():
            with path.open("r+b") as file:
                file.write(b"\x00not a database\x00" * (len(content) // 16))
        reply = client.chat(story, f"can I get a direct payment, {CANARY}?")
        assert reply.kind_with_numbers and reply.seconds < HANG_LIMIT, (reply.status,
                                                                        reply.seconds)
    finally:
        for path, content in good.items():
            with path.open("r+b") as file:
                file.write(content)
                file.truncate()
    recovered = client.wait_for_recovery(story, 60)
    FIGURES["database corrupted"] = figure(reply, recovered, " after it was undone")
    assert_still_knows_the_story(assistant, client, story)


def test_a_full_disk(assistant, client, story):
    """Every write of the Rasa server fails (its file-size limit lowered to 1 KB), as on a full
    disk. Python ignores SIGXFSZ, so the writes fail with an error instead of killing it."""
    # resource.prlimit on another process needs Linux and the same user (or root): both hold
    # wherever make test runs the rest of this suite.
    client.wait_for_recovery(story, 60)
    pid = assistant.pid("Rasa server")
    _, hard = resource.prlimit(pid, resource.RLIMIT_FSIZE)
    resource.prlimit(pid, resource.RLIMIT_FSIZE, (1024, hard))
    try:
        reply = client.chat(story, f"what about housing, {CANARY}?")
        # Reading still works, so Rasa answers (from the whole conversation); only this turn's
        # events cannot be kept. Either a real answer or the kind message, never an error.
        assert reply.status == 200 and reply.messages and reply.seconds < HANG_LIMIT
        assert reply.real_answer or reply.kind_with_numbers, reply.text
    finally:
        resource.prlimit(pid, resource.RLIMIT_FSIZE, (hard, hard))
    recovered = client.wait_for_recovery(story, 60)
    FIGURES["disk full"] = figure(reply, recovered, " after it was undone")
    assert assistant.pid("Rasa server") == pid  # it coped: no restart was needed
    assert_still_knows_the_story(assistant, client, story)


def test_no_5xx_and_no_empty_reply_under_any_fault(client):
    answered = [r for r in client.replies if isinstance(r.status, int)]
    assert len(answered) > 20
    assert [r.status for r in answered if r.status >= 500] == []
    assert [r for r in answered if r.status == 200 and not r.messages] == []


def test_no_message_text_reached_any_log(assistant, client):
    logs = sorted((assistant.var_dir / "log").iterdir())
    assert {p.name for p in logs} >= {"action-server.log", "Rasa-server.log", "web-server.log"}
    for path in logs:
        text = path.read_text(errors="replace")
        assert CANARY not in text, path.name
        for words in ("end it all", "care home now", "who pays for it"):
            assert words not in text, (path.name, words)


def test_print_the_figures():
    assert len(FIGURES) == 9, sorted(FIGURES)
    print("\nfault suite figures (hang limit 8 s):")
    for name, figure in FIGURES.items():
        print(f"  {name:<22} {figure}")
