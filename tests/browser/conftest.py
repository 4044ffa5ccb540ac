"""Browser tests: the real create_app() under uvicorn, Rasa faked at the transport, Debian's
Chromium driven by Playwright, axe-core through axe-playwright-python.

Chromium is never downloaded: `make chromium` (scripts/ensure-chromium.sh) installs Debian's
package when it can. If /usr/bin/chromium is missing here the tests fail with instructions
rather than skip silently.
"""

from __future__ import annotations

import asyncio
import http.server
import json
import os
import socket
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
import uvicorn

from web.app import create_app
from web.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "test-output"
SCREENSHOTS = OUTPUT / "screenshots"
CHROMIUM = os.environ.get("S117_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
SECRET = "browser-test-secret-0123456789abcdef0123"
EXIT_HOST = "https://www.bbc.co.uk/"
INSIGHTS_TOKEN = "browser-insights-token-0123456789"
HOSTILE = '<img src=x onerror="window.__xss=1">'


# ---------------------------------------------------------------------- a fake Rasa
def _said(sender: str, text: str | None = None, buttons: list | None = None) -> dict:
    piece: dict[str, Any] = {"recipient_id": sender}
    if text is not None:
        piece["text"] = text
    if buttons:
        piece["buttons"] = buttons
    return piece


def rasa_reply(sender: str, text: str, buttons: list | None, custom: dict,
               image: str | None) -> list[dict]:
    """Rasa REST output as Rasa sends it: text+buttons, then custom, then image."""
    output = [_said(sender, text, buttons), {"recipient_id": sender, "custom": custom}]
    if image:
        output.append({"recipient_id": sender, "image": image})
    return output


def custom(kind: str, alt: str, sources: tuple[str, ...] = ("mha_s117_1", "mind_section_117"),
           response: str = "utter_what_is_117", **more: Any) -> dict:
    """As domain.yml holds it: source ids (the web backend turns them into citations) and the
    facts.md trace, which the web backend must never pass on."""
    return {"kind": kind, "response": response, "alt": alt, "sources": list(sources),
            "facts": "F1.1",
            "checked": "2026-11-25", **more}


CONTACTS = [
    {"who": "Mind Legal Line", "what_for": "Legal information about mental health law.",
     "phone": "0300 466 6463", "text": None, "email": None,
     "web": "https://www.mind.org.uk/information-support/legal-rights/",
     "hours": "Monday to Friday, 9am to 6pm", "sources": ["mind_useful_contacts"],
     "facts": "section 3", "checked": "2026-11-25"},
    {"who": "Local Government and Social Care Ombudsman",
     "what_for": "Complaints about a council.",
     "phone": "0300 061 0614", "text": None, "email": None, "web": "https://www.lgo.org.uk",
     "hours": "Check the website for opening hours", "sources": ["mind_useful_contacts"],
     "facts": "section 3", "checked": "2026-11-25"},
    {"who": "Kent County Council: adult social care complaints",
     "what_for": "Complaints about council social care.", "phone": None, "text": None,
     "email": None, "web": None,
     "address": "Customer Care and Complaints Team, Invicta House, Maidstone ME14 1XX",
     "hours": None, "note": "Check the council's web page for the latest details.",
     "sources": ["kent_adult_complaints"], "facts": "F11.3", "checked": "2026-11-25"},
]


def answer(sender: str, message: str) -> list[dict]:
    m = message.lower()
    if m == "/greet":
        return rasa_reply(sender, "Hello. I can tell you about section 117 aftercare.\n\n"
                          "This is free help after you leave mental health hospital.\n\n"
                          "Ask me a question, or pick a topic.",
                          [{"title": "What is section 117?", "payload": "/ask_what_is_117"},
                           {"title": "Charging", "payload": "/ask_charging"},
                           {"title": "Need help now", "payload": "/crisis"}],
                          custom("easy", "A person waving hello",
                                 ("mha_s117_1", "mha_s117_2", "mind_section_117"),
                                 "utter_welcome"), "/static/symbols/hello.svg")
    if m.startswith("/more_detail") and "charging" in m:
        return rasa_reply(sender, "Section 117 aftercare cannot be charged for. "
                          "This is settled law (R v Manchester City Council, ex parte Stennett "
                          "[2002] UKHL 34).\n\nA council that charged by mistake should pay the "
                          "money back (LGSCO decision 18 010 781b).", None,
                          custom("detail", "A book of law",
                                 ("mha_s117_1", "stennett_2002", "lgsco_18_010_781b",
                                  "mind_section_117"), "utter_detail_charging"),
                          "/static/symbols/law.svg")
    if m.startswith("/more_detail"):
        return rasa_reply(sender, "Section 117 of the Mental Health Act 1983 is a legal duty to "
                          "give free aftercare.\n\nIt applies after detention under section 3, 37, "
                          "45A, 47 or 48 (s117(1)).\n\nThe duty is shared by the council and the "
                          "NHS (s117(2)).", None,
                          custom("detail", "A book of law", ("mha_s117_1", "mha_s117_2"),
                                 "utter_detail_what_is_117"),
                          "/static/symbols/law.svg")
    if m == "/ask_charging" or "pay" in m:
        return rasa_reply(sender, "No. You do not pay for section 117 aftercare.\n\n"
                          "If you get a bill, ask the council to check it.",
                          [{"title": "More detail",
                            "payload": '/more_detail{"topic": "charging"}'}],
                          custom("easy", "Money with a cross", ("mha_s117_1", "stennett_2002"),
                                 "utter_charging"),
                          "/static/symbols/money.svg")
    if m == "/ask_what_is_117" or "117" in m:
        return rasa_reply(sender, "Section 117 is free help after you leave hospital.\n\n"
                          "You get it if you were kept in hospital for treatment.\n\n"
                          "The NHS and your council give the help.",
                          [{"title": "More detail",
                            "payload": '/more_detail{"topic": "what_is_117"}'}],
                          custom("easy", "A person leaving hospital with a helper"), "/static/symbols/aftercare.svg")
    if m == "/crisis":
        return rasa_reply(sender, "I am sorry things are so hard right now. You are not alone.\n\n"
                          "If you or someone else is in danger now, call 999. Or go to A&E.\n\n"
                          "Call 111 and choose the mental health option (often option 2). In "
                          "Wales, call 111 and press 2.\n\nCall Samaritans free on 116 123, any "
                          "time. Or text Shout on 85258.\n\nYou can also use the crisis contacts "
                          "in your care plan.", None,
                          custom("crisis", "A phone with a heart", ("samaritans_contact", "oundle_surgery_111"),
                                 "utter_crisis"),
                          "/static/symbols/crisis.svg")
    if "contact" in m:
        return rasa_reply(sender, "These people can help in Kent.", None,
                          custom("contacts", "People who can help", (), "utter_complaints_contacts",
                                 contacts=CONTACTS), "/static/symbols/people.svg")
    if "hostile" in m:
        return rasa_reply(sender, HOSTILE,
                          [{"title": '<b onmouseover="window.__xss=2">Bold</b>',
                            "payload": "/help"}],
                          custom("easy", '"><img src=x onerror="window.__xss=3">',
                                 '<script>window.__xss=4</script>'),
                          "/static/symbols/question.svg")
    return rasa_reply(sender, "Sorry, I am not sure what you mean.\n\n"
                      "You can ask in a different way. Or pick a topic below.",
                      [{"title": "What is section 117?", "payload": "/ask_what_is_117"}],
                      custom("easy", "A question mark"), "/static/symbols/question.svg")


EVENTS = sa.Table(  # the same columns as Rasa's SQLTrackerStore.SQLEvent
    "events", sa.MetaData(),
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sender_id", sa.String(255), nullable=False, index=True),
    sa.Column("type_name", sa.String(255), nullable=False),
    sa.Column("timestamp", sa.Float),
    sa.Column("intent_name", sa.String(255)),
    sa.Column("action_name", sa.String(255)),
    sa.Column("data", sa.Text),
)


class FakeRasa:
    """Answers like Rasa's REST channel and keeps events in a real SQLite tracker store."""

    def __init__(self, tracker_db: Path) -> None:
        self.tracker_db = tracker_db
        self.engine = sa.create_engine(f"sqlite:///{tracker_db}")
        EVENTS.metadata.create_all(self.engine)
        self.senders: list[str] = []

    def rows(self, sender: str) -> int:
        with self.engine.connect() as connection:
            query = sa.select(sa.func.count()).select_from(EVENTS).where(
                EVENTS.c.sender_id == sender)
            return connection.execute(query).scalar_one()

    def transport(self) -> httpx.MockTransport:
        async def handle(request: httpx.Request) -> httpx.Response:
            body = json.loads(request.content)
            sender, message = body["sender"], body["message"]
            self.senders.append(sender)
            if "slow" in message.lower():
                await asyncio.sleep(1.5)
            output = answer(sender, message)
            with self.engine.begin() as connection:
                now = time.time()
                connection.execute(EVENTS.insert(), [
                    {"sender_id": sender, "type_name": "user", "timestamp": now,
                     "intent_name": None, "action_name": None, "data": "{}"},
                    {"sender_id": sender, "type_name": "bot", "timestamp": now,
                     "intent_name": None, "action_name": None, "data": "{}"},
                ])
            return httpx.Response(200, json=output)
        return httpx.MockTransport(handle)


# ---------------------------------------------------------------------- uvicorn in a thread
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# A partner's site on another origin. It must be a real loopback server (not a routed page):
# Chromium's Local Network Access rules stop a "public" page loading scripts from 127.0.0.1.
PARTNER_PORT = free_port()
PARTNER = f"http://localhost:{PARTNER_PORT}"


class ServerThread:
    def __init__(self, app, port: int | None = None) -> None:
        self.port = port or free_port()
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning",
                                lifespan="on", access_log=False, ws="none")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "ServerThread":
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test web server did not start")
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(15)


def make_settings(tracker_db: Path, **more: Any) -> Settings:
    return Settings(secret_key=SECRET, rate_limit_per_minute=10_000,
                    rate_limit_per_ip_per_minute=10_000, tracker_db=str(tracker_db),
                    insights_db=str(tracker_db.parent / "insights.db"),
                    insights_token=INSIGHTS_TOKEN,
                    frame_ancestors=f"'self' {PARTNER}", **more)


@pytest.fixture(scope="session")
def fake_rasa(tmp_path_factory) -> FakeRasa:
    return FakeRasa(tmp_path_factory.mktemp("tracker") / "tracker.db")


@pytest.fixture(scope="session")
def server(fake_rasa: FakeRasa):
    app = create_app(make_settings(fake_rasa.tracker_db), rasa_transport=fake_rasa.transport())
    thread = ServerThread(app).start()
    yield thread
    thread.stop()


@pytest.fixture(scope="session")
def base_url(server: ServerThread) -> str:
    return server.url


# ---------------------------------------------------------------------- Chromium
# Module scope, not session: Playwright's sync API keeps an asyncio loop running in this thread
# while it is open, and later test layers (Rasa's async NLG, rasa-sdk forms) need asyncio.run().
@pytest.fixture(scope="module")
def browser():
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(f"{CHROMIUM} is missing. Install Debian's Chromium with "
                    "`sudo apt-get install chromium` (or run `make chromium`); the tests never "
                    "download a browser.", pytrace=False)
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


NEUTRAL_PAGE = ("<!doctype html><html lang='en'><head><title>Weather</title></head>"
                "<body><h1>Weather</h1></body></html>")
PARTNER_PAGE = ("<!doctype html><html lang='en'><head><title>Kent County Council</title></head>"
                "<body><main><h1>Adult social care</h1><p>Our page.</p></main>"
                "<script src='{base}/static/embed.js' data-area='kent' data-colour='{colour}'>"
                "</script></body></html>")


@pytest.fixture(scope="session")
def partner_site(base_url: str) -> str:
    """Serves PARTNER_PAGE at PARTNER/colour/<hex>, e.g. /colour/005eb8."""
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
            colour = "#" + self.path.rsplit("/", 1)[-1]
            body = PARTNER_PAGE.format(base=base_url, colour=colour).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", PARTNER_PORT), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield PARTNER
    httpd.shutdown()


class PageProblems:
    """Console errors, CSP refusals and uncaught exceptions seen while a test ran."""

    def __init__(self) -> None:
        self.messages: list[str] = []
        self.allowed: list[str] = []

    def watch(self, page) -> None:
        page.on("console", lambda m: self.messages.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.messages.append(f"uncaught: {e}"))

    def unexpected(self) -> list[str]:
        return [m for m in self.messages if not any(a in m for a in self.allowed)]


def new_context(browser, width: int = 1280, height: int = 800, **more: Any):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="en-GB",
                                  **more)
    # No internet here: the neutral exit site and the partner's page are served by the test.
    context.route(f"{EXIT_HOST}**", lambda route: route.fulfill(
        status=200, content_type="text/html", body=NEUTRAL_PAGE))
    return context


@pytest.fixture
def problems() -> PageProblems:
    return PageProblems()


@pytest.fixture
def context(browser):
    ctx = new_context(browser)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context, problems: PageProblems):
    pg = context.new_page()
    problems.watch(pg)
    yield pg
    leftover = problems.unexpected()
    assert not leftover, f"console errors or CSP refusals on the page: {leftover}"


# ---------------------------------------------------------------------- records for the report
@pytest.fixture(scope="session")
def axe_log():
    results: dict[str, Any] = {}
    yield results
    if results:
        OUTPUT.mkdir(exist_ok=True)
        (OUTPUT / "axe-results.json").write_text(json.dumps(results, indent=2, sort_keys=True))


@pytest.fixture(scope="session")
def screenshots():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    taken: dict[str, str] = {}
    yield taken
    if taken:
        lines = [f"{name}: {what}" for name, what in sorted(taken.items())]
        (SCREENSHOTS / "INDEX.txt").write_text("\n".join(lines) + "\n")
