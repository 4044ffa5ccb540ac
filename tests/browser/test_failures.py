"""Failure states that help, and hostile text that stays text."""

from __future__ import annotations

import pytest

from tests.browser.conftest import HOSTILE, ServerThread, make_settings
from tests.browser.helpers import BOT, ask, axe, open_chat, shot, wait_idle
from web.app import create_app
from web.settings import Settings

pytestmark = pytest.mark.browser

# 111 twice: once for England, once for Wales ("call 111 and press 2").
CRISIS_LINKS = ["tel:999", "tel:111", "tel:111", "tel:116123", "sms:85258"]


def failure_links(page) -> list[str]:
    return page.eval_on_selector_all(".msg.failure a", "els => els.map(e => e.href)")


def test_server_stopped_plain_words_numbers_and_retry(page, fake_rasa, axe_log, screenshots,
                                                      problems):
    # Its own server, so stopping it does not disturb the other tests.
    settings = make_settings(fake_rasa.tracker_db)
    server = ServerThread(create_app(settings, rasa_transport=fake_rasa.transport())).start()
    restarted = None
    try:
        open_chat(page, server.url)
        server.stop()
        problems.allowed.append("Failed to load resource")  # Chromium logs the refused fetch
        page.fill("#message", "what is section 117")
        page.press("#message", "Enter")
        failure = page.locator(".msg.failure")
        failure.wait_for()
        wait_idle(page)
        words = failure.inner_text()
        assert "the helper is not answering right now" in words
        assert "116 123" in words and "85258" in words and "999" in words
        assert failure_links(page) == CRISIS_LINKS
        assert page.inner_text("#message-error") == "Sorry, the helper is not answering right now."
        assert page.locator("#typing.active").count() == 0  # no spinner left spinning
        assert page.locator(".bubble:empty").count() == 0  # never a blank bubble
        axe(page, "failure state (server stopped) at 1280px", axe_log)
        shot(page, "1280-10-failure", "Server stopped: plain words, crisis numbers as links, "
             "and a Try again button", screenshots)

        # The same server comes back: Try again sends the question again and it is answered.
        restarted = ServerThread(create_app(settings, rasa_transport=fake_rasa.transport()),
                                 port=server.port).start()
        page.get_by_role("button", name="Try again").click()
        page.locator(".msg.failure").wait_for(state="detached")
        page.locator(BOT).nth(1).wait_for()
        wait_idle(page)
        assert "Section 117 is free help" in page.locator(BOT).last.inner_text()
    finally:
        if restarted:
            restarted.stop()


def test_failure_at_320_px(browser, base_url, screenshots, axe_log):
    from tests.browser.conftest import new_context
    context = new_context(browser, width=320, height=640)
    page = context.new_page()
    try:
        open_chat(page, base_url)
        page.route("**/api/chat", lambda route: route.fulfill(
            status=502, content_type="text/html", body="<h1>Bad gateway</h1>"))
        page.fill("#message", "what is section 117")
        page.press("#message", "Enter")
        page.locator(".msg.failure").wait_for()
        wait_idle(page)
        assert failure_links(page) == CRISIS_LINKS
        assert "Bad gateway" not in page.inner_text("body")
        axe(page, "failure state (502 from a proxy) at 320px", axe_log)
        shot(page, "320-10-failure", "A proxy's 502 page at 320 px: plain words, crisis "
             "numbers, Try again", screenshots)
    finally:
        context.close()


def test_rasa_down_the_backend_answers_with_crisis_numbers(page, tmp_path):
    # Rasa on a closed port: the backend's own "cannot answer" message, kind "error".
    settings = Settings(secret_key="x" * 40, rasa_url="http://127.0.0.1:9",
                        rasa_connect_timeout=0.5, tracker_db=str(tmp_path / "t.db"))
    server = ServerThread(create_app(settings)).start()
    try:
        open_chat(page, server.url)
        message = page.locator(BOT).first
        assert "kind-error" in message.get_attribute("class")
        assert "I cannot answer right now" in message.inner_text()
        hrefs = message.locator("a").evaluate_all("els => els.map(e => e.href)")
        assert {"tel:999", "tel:111", "tel:116123", "sms:85258"} <= set(hrefs)
    finally:
        server.stop()


def test_non_json_and_empty_replies_never_show_a_blank_bubble(page, base_url, problems):
    open_chat(page, base_url)
    page.route("**/api/chat", lambda route: route.fulfill(
        status=200, content_type="application/json", body='{"session": "x", "messages": []}'))
    page.fill("#message", "hello")
    page.press("#message", "Enter")
    page.locator(".msg.failure").wait_for()
    assert page.locator(".bubble:empty").count() == 0


def test_session_no_longer_valid_offers_start_again(page, base_url, problems):
    open_chat(page, base_url)
    page.evaluate("sessionStorage.setItem('s117.session', 'forged.token')")
    page.reload()
    page.locator(BOT).first.wait_for()
    problems.allowed.append("403")
    page.fill("#message", "hello")
    page.press("#message", "Enter")
    page.locator(".msg.failure").wait_for()
    assert "Please start again" in page.locator(".msg.failure").inner_text()
    page.get_by_role("button", name="Start again").last.click()
    page.locator(".msg.user").first.wait_for(state="detached")
    page.locator(BOT).first.wait_for()
    wait_idle(page)
    assert page.locator(".msg.failure").count() == 0


def test_empty_question_is_an_announced_error(page, base_url):
    open_chat(page, base_url)
    page.press("#message", "Enter")
    assert page.inner_text("#message-error") == "Please type a question first."
    assert page.get_attribute("#message", "aria-invalid") == "true"


def test_hostile_bot_message_shows_as_text_and_runs_nothing(page, base_url):
    open_chat(page, base_url)
    ask(page, "hostile")
    last = page.locator(BOT).last
    assert HOSTILE in last.inner_text()
    page.wait_for_timeout(300)  # give any injected handler time to fire
    assert page.evaluate("window.__xss") is None
    # Only our own symbols are images; the text made no elements.
    srcs = page.eval_on_selector_all("#transcript img",
                                     "els => els.map(e => e.getAttribute('src'))")
    assert all(src.startswith("/static/symbols/") for src in srcs)
    assert last.locator("b, script, img[src='x']").count() == 0
    # The hostile button title is text too, and so is the "You chose" line.
    page.get_by_role("button", name='<b onmouseover="window.__xss=2">Bold</b>').click()
    page.locator(BOT).nth(2).wait_for()
    wait_idle(page)
    assert page.evaluate("window.__xss") is None
    assert page.locator(".msg.user").last.inner_text().startswith("You chose: <b onmouseover")
    # What the person types is text as well.
    ask(page, "<img src=x onerror=\"window.__xss=5\"> hello")
    assert page.evaluate("window.__xss") is None
