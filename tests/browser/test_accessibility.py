"""WCAG 2.2 AA checks in real Chromium: axe-core per state, reflow, text size and spacing,
target sizes, and screenshots of the main states at 1280 px and 320 px."""

from __future__ import annotations

import pytest

from tests.browser.conftest import new_context
from tests.browser.helpers import BOT, ask, axe, open_chat, shot, wait_idle

pytestmark = pytest.mark.browser

NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


def open_detail(page) -> None:
    page.locator(".more-detail").last.click()
    page.locator(".detail:not([hidden])").last.wait_for()
    wait_idle(page)


@pytest.mark.parametrize("width", [1280, 320])
def test_axe_and_screenshots_per_state(browser, base_url, axe_log, screenshots, problems, width):
    context = new_context(browser, width=width, height=800 if width > 320 else 640)
    page = context.new_page()
    problems.watch(page)
    try:
        open_chat(page, base_url)
        axe(page, f"empty (welcome only) at {width}px", axe_log)
        shot(page, f"{width}-01-welcome", f"Start: the welcome with picture, source and topic "
             f"buttons, at {width} px", screenshots)
        assert page.evaluate(NO_SIDEWAYS_SCROLL)

        page.get_by_role("button", name="Charging").click()
        page.locator(BOT).nth(1).wait_for()
        wait_idle(page)
        ask(page, "what is section 117")
        axe(page, f"mid-conversation at {width}px", axe_log)
        shot(page, f"{width}-02-mid-conversation", f"Mid-conversation: 'You chose: Charging', "
             f"a typed question and answers, at {width} px", screenshots)
        assert page.evaluate(NO_SIDEWAYS_SCROLL)

        open_detail(page)
        axe(page, f"More detail open at {width}px", axe_log)
        shot(page, f"{width}-03-more-detail", f"More detail expanded in place under its answer, "
             f"at {width} px", screenshots)

        page.get_by_role("button", name="High contrast").click()
        axe(page, f"high contrast at {width}px", axe_log)
        shot(page, f"{width}-04-high-contrast", f"High contrast switch on, at {width} px",
             screenshots)
        page.get_by_role("button", name="High contrast").click()

        page.get_by_role("button", name="Bigger text").click()
        axe(page, f"bigger text at {width}px", axe_log)
        assert page.evaluate(NO_SIDEWAYS_SCROLL)
        shot(page, f"{width}-05-bigger-text", f"Bigger text switch on, at {width} px",
             screenshots)
        page.get_by_role("button", name="Bigger text").click()

        ask(page, "who can I contact")
        axe(page, f"contacts at {width}px", axe_log)
        page.locator(".contacts").last.scroll_into_view_if_needed()
        shot(page, f"{width}-06-contacts", f"A contacts answer: tap-to-call numbers, websites, "
             f"source and date, at {width} px", screenshots, full_page=False)

        page.get_by_role("button", name="Print or save my answers").click()
        page.locator("#print-view").wait_for()
        axe(page, f"print view at {width}px", axe_log)
        shot(page, f"{width}-07-print-view", f"Print or save my answers: the clean easy-read "
             f"page, at {width} px", screenshots)
    finally:
        context.close()
    assert not problems.unexpected()


def test_reflow_200_percent_text_and_text_spacing_at_320(browser, base_url, axe_log,
                                                        screenshots):
    # bypass_csp only so the test can inject the WCAG 1.4.12 text-spacing style sheet.
    context = new_context(browser, width=320, height=640, bypass_csp=True)
    page = context.new_page()
    try:
        open_chat(page, base_url)
        ask(page, "what is section 117")
        open_detail(page)
        # 200% text: double the root font size (what browser text-only zoom does).
        page.evaluate("document.documentElement.style.setProperty('font-size', '200%')")
        assert page.evaluate(NO_SIDEWAYS_SCROLL), "sideways scroll at 320 px with 200% text"
        page.locator(".detail").last.scroll_into_view_if_needed()
        shot(page, "320-08-text-200-percent", "200% text at 320 px (the More detail part): "
             "everything wraps, no sideways scrolling", screenshots, full_page=False)
        page.evaluate("document.documentElement.style.removeProperty('font-size')")
        page.add_style_tag(content="* { line-height: 1.5 !important; "
                           "letter-spacing: 0.12em !important; word-spacing: 0.16em !important; }"
                           " p { margin-bottom: 2em !important; }")
        assert page.evaluate(NO_SIDEWAYS_SCROLL), "sideways scroll with WCAG text spacing"
        clipped = page.evaluate("""() => [...document.querySelectorAll('button, .bubble, a')]
            .filter(e => e.offsetParent && (e.scrollHeight > e.clientHeight + 1 ||
                                             e.scrollWidth > e.clientWidth + 1))
            .map(e => e.textContent.trim().slice(0, 30))""")
        assert clipped == [], f"text clipped with WCAG text spacing: {clipped}"
        axe(page, "text spacing at 320px", axe_log)
    finally:
        context.close()


def test_targets_are_at_least_44_px(page, base_url):
    open_chat(page, base_url)
    ask(page, "what is section 117")
    small = page.evaluate("""() => [...document.querySelectorAll('button, input, .bar a')]
        .filter(e => e.offsetParent !== null)
        .map(e => ({name: e.textContent.trim() || e.id, r: e.getBoundingClientRect()}))
        .filter(x => x.r.width < 44 || x.r.height < 44)
        .map(x => `${x.name}: ${Math.round(x.r.width)}x${Math.round(x.r.height)}`)""")
    assert small == []


def test_easy_read_type_is_at_least_19_px(page, base_url):
    open_chat(page, base_url)
    sizes = page.evaluate("""() => [...document.querySelectorAll('.bubble, .choice')]
        .map(e => parseFloat(getComputedStyle(e).fontSize))""")
    assert sizes and min(sizes) >= 19


def test_page_semantics(page, base_url):
    open_chat(page, base_url)
    assert page.get_attribute("html", "lang") == "en-GB"
    assert page.get_attribute("#transcript", "role") == "log"
    assert page.get_by_label("Type your question").count() == 1
    assert page.get_attribute("#typing", "role") == "status"
    assert page.get_attribute("#message-error", "role") == "alert"
    # Every picture has alt text from the server, and the chosen words are the message's own.
    alts = page.eval_on_selector_all("#transcript img", "els => els.map(e => e.alt)")
    assert alts == ["A person waving hello"]
    # Its public sources in plain words (two subsections of one Act named once), linked where
    # the source has a web address, in a new tab a screen reader is told about.
    assert page.text_content("#transcript .meta") == (
        "From: the Mental Health Act 1983, section 117 (opens in a new tab) and Mind, the mental "
        "health charity. Checked 25 November 2026.")
    link = page.locator("#transcript .meta a")
    assert link.count() == 1
    assert (link.get_attribute("target"), link.get_attribute("rel")) == ("_blank",
                                                                         "noopener noreferrer")
    assert link.get_attribute("href").startswith("https://www.legislation.gov.uk/")
    # Phone numbers are tap-to-call links.
    hrefs = page.eval_on_selector_all("#help-now .numbers a", "els => els.map(e => e.href)")
    assert hrefs == ["tel:999", "tel:111", "tel:116123", "sms:85258"]


def test_reduced_motion_stops_the_typing_animation(browser, base_url):
    context = new_context(browser, reduced_motion="reduce")
    page = context.new_page()
    try:
        open_chat(page, base_url)
        page.fill("#message", "slow answer please")
        page.press("#message", "Enter")
        page.locator("#typing.active").wait_for()
        animation = page.evaluate(
            "getComputedStyle(document.querySelector('#typing'), '::after').animationName")
        assert animation == "none"
        wait_idle(page)
    finally:
        context.close()


def test_typing_status_is_announced_politely_and_then_cleared(page, base_url):
    open_chat(page, base_url)
    page.fill("#message", "slow answer please")
    page.press("#message", "Enter")
    page.locator("#typing.active").wait_for()
    assert page.inner_text("#typing").startswith("The helper is typing")
    assert page.get_attribute("#typing", "role") == "status"
    wait_idle(page)
    assert page.inner_text("#typing") == ""
    # The input kept focus: a new message never moves it.
    assert page.evaluate("document.activeElement.id") == "message"
