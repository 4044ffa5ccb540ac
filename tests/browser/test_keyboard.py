"""Keyboard-only walk-throughs: no mouse, only Tab, Shift+Tab, Enter, Space and typing.

Every stop on the way must show a visible focus that nothing (the sticky bar, the question
box) covers: tab_to() checks that at each press.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import new_context
from tests.browser.helpers import BOT, assert_focus_visible, open_chat, tab_to, wait_idle

pytestmark = pytest.mark.browser


def type_and_send(page, text: str) -> None:
    before = page.locator(BOT).count()
    page.keyboard.type(text)
    page.keyboard.press("Enter")
    page.locator(BOT).nth(before).wait_for()
    wait_idle(page)


@pytest.mark.parametrize("width,height", [(1280, 800), (320, 640)])
def test_open_ask_pick_detail_start_again_exit(browser, base_url, width, height):
    context = new_context(browser, width=width, height=height)
    page = context.new_page()
    try:
        # Open: the first Tab reaches the skip link, which jumps to the question box.
        open_chat(page, base_url)
        tab_to(page, ".skip-link", limit=1)
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "message"

        # Ask: type and press Enter; focus stays in the box while the answer is announced.
        type_and_send(page, "do I have to pay")
        assert page.evaluate("document.activeElement.id") == "message"
        assert "You do not pay" in page.locator(BOT).last.inner_text()

        # Pick a button: Shift+Tab back to the topic "What is section 117?", press Space.
        tab_to(page, ".choices button.choice:first-child", backwards=True)
        chosen = page.evaluate("document.activeElement.textContent")
        before = page.locator(BOT).count()
        page.keyboard.press("Space")
        page.locator(BOT).nth(before).wait_for()
        wait_idle(page)
        assert page.locator("#transcript .msg.user").last.inner_text() == f"You chose: {chosen}"
        assert_focus_visible(page)  # focus moved to the words of the choice, not lost

        # Open More detail: Tab forward to the newest answer's More detail, press Enter.
        tab_to(page, ".msg.bot:last-of-type .more-detail")
        page.keyboard.press("Enter")
        page.locator(".msg.bot:last-of-type .detail:not([hidden])").wait_for()
        wait_idle(page)
        toggle = page.locator(".msg.bot:last-of-type .more-detail")
        assert toggle.get_attribute("aria-expanded") == "true"
        assert page.evaluate("document.activeElement.classList.contains('more-detail')")
        # ...and close it again from the keyboard.
        page.keyboard.press("Enter")
        assert toggle.get_attribute("aria-expanded") == "false"
        page.keyboard.press("Enter")
        assert toggle.get_attribute("aria-expanded") == "true"

        # Start again: Shift+Tab up to the tools, press Enter: a fresh welcome only.
        tab_to(page, "#start-again", backwards=True, limit=120)
        page.keyboard.press("Enter")
        page.locator(".msg.user").first.wait_for(state="detached")
        page.locator(BOT).first.wait_for()
        wait_idle(page)
        assert page.locator(BOT).count() == 1
        assert page.evaluate("document.activeElement.id") == "start-again"

        # Exit: Shift+Tab to Exit this page, press Enter: the neutral site replaces the page.
        tab_to(page, "#exit", backwards=True)
        page.keyboard.press("Enter")
        page.wait_for_url("https://www.bbc.co.uk/weather")
    finally:
        context.close()


def test_need_help_now_link_reaches_the_numbers_by_keyboard(page, base_url):
    open_chat(page, base_url)
    tab_to(page, "#help-link")
    page.keyboard.press("Enter")
    page.locator("#help-now:focus").wait_for()
    tab_to(page, "#help-now a[href='tel:999']", limit=2)


def test_tools_work_from_the_keyboard(page, base_url):
    open_chat(page, base_url)
    tab_to(page, "#bigger-text")
    page.keyboard.press("Enter")
    assert page.get_attribute("#bigger-text", "aria-pressed") == "true"
    tab_to(page, "#high-contrast", limit=1)
    page.keyboard.press("Space")
    assert page.get_attribute("#high-contrast", "aria-pressed") == "true"
    tab_to(page, "#print")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "print-heading"
    # The print view's buttons are above its heading; the source links follow it.
    tab_to(page, "#print-back", limit=2, backwards=True)
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "print"
