"""'Did this help?' under the answers, and the deployer's insights page, in real Chromium."""

from __future__ import annotations

import datetime as dt

from tests.browser.conftest import INSIGHTS_TOKEN, new_context
from tests.browser.helpers import BOT, ask, axe, open_chat, shot, tab_to, wait_idle


def recorder(server):
    return server.server.config.app.state.recorder


def test_yes_says_thank_you_politely_and_counts(page, base_url, server):
    open_chat(page, base_url)
    ask(page, "do I have to pay")
    answer = page.locator(BOT).last
    box = answer.locator(":scope > .feedback")
    assert box.locator(".feedback-question").inner_text() == "Did this help?"
    group = box.get_by_role("group", name="Did this help?")
    assert group.get_by_role("button").all_inner_texts() == ["Yes", "No"]
    before = recorder(server).store.counts(dt.date.today())
    group.get_by_role("button", name="Yes").click()
    thanks = box.locator(".feedback-thanks")
    thanks.wait_for()
    assert thanks.inner_text() == "Thank you for telling us."
    assert page.evaluate("document.activeElement.className") == "feedback-thanks"
    assert page.get_attribute("#announce", "role") == "status"
    page.locator("#announce", has_text="Thank you for telling us.").wait_for()
    # Not in the transcript: no "You said" bubble was added.
    assert page.locator(".msg.user").count() == 1
    recorder(server).flush()
    after = {(m, k): n for _, m, k, n in recorder(server).store.counts(dt.date.today())}
    was = {(m, k): n for _, m, k, n in before}
    assert after[("helpful_yes", "utter_charging")] == was.get(("helpful_yes", "utter_charging"),
                                                               0) + 1


def test_no_asks_what_was_wrong_by_keyboard_alone(browser, base_url, server, axe_log,
                                                  screenshots):
    context = new_context(browser, width=320, height=640)
    page = context.new_page()
    try:
        open_chat(page, base_url)
        ask(page, "do I have to pay")
        axe(page, "Did this help? at 320px", axe_log)
        assert page.locator(".feedback-no").count() == 1  # the answer, not the welcome
        tab_to(page, ".feedback-no", backwards=True)  # the answer is above the question box
        page.keyboard.press("Enter")
        # Focus goes to the first choice of the question that follows.
        page.locator(".feedback-form").wait_for()
        assert page.evaluate("document.activeElement.value") == "not_answered"
        axe(page, "What was wrong? at 320px", axe_log)
        form = page.locator(".feedback-form")
        assert form.locator("legend").inner_text() == "What was wrong? Pick any that fit."
        assert form.locator("label").all_inner_texts()[:4] == [
            "It did not answer my question", "It was hard to understand",
            "Something is wrong or out of date", "Other"]
        warning = form.locator(".hint").inner_text()
        assert "Do not write your name, address or anything that could identify you" in warning
        assert form.locator("textarea").get_attribute("maxlength") == "300"
        page.keyboard.press("Tab")
        page.keyboard.press("Space")  # It was hard to understand
        tab_to(page, ".feedback-form textarea", limit=4)
        page.keyboard.type("Too long. Call me on 07700 900 461")
        shot(page, "320-13-feedback", "Did this help? No: what was wrong, the comment box and "
             "its warning, at 320 px", screenshots, full_page=False)
        tab_to(page, ".feedback-send", limit=1)
        page.keyboard.press("Enter")
        page.locator(".feedback-thanks").wait_for()
        assert page.evaluate("document.activeElement.textContent") == "Thank you for telling us."
        recorder(server).flush()
        [latest, *_] = recorder(server).store.comments(dt.date.today())
        assert latest.reasons == ["hard_to_understand"]
        assert latest.comment == "Too long. Call me on [number removed]"
        # Never on paper or in the print view.
        page.get_by_role("button", name="Print or save my answers").click()
        page.locator("#print-view").wait_for()
        assert page.locator("#print-view .feedback").count() == 0
    finally:
        context.close()


def test_the_crisis_answer_does_not_ask(page, base_url):
    open_chat(page, base_url)
    page.get_by_role("button", name="Need help now").first.click()
    page.locator(".kind-crisis").wait_for()
    wait_idle(page)
    assert page.locator(".kind-crisis .feedback").count() == 0


def test_the_insights_page_signs_in_and_passes_axe(browser, base_url, axe_log, screenshots):
    context = new_context(browser, width=1280, height=900)
    page = context.new_page()
    try:
        page.goto(f"{base_url}/insights")
        axe(page, "insights sign-in", axe_log)
        page.get_by_label("Insights key").fill("not the key")
        page.get_by_role("button", name="Show the insights").click()
        page.locator("#token-error").wait_for()
        assert page.get_attribute("#token", "aria-invalid") == "true"
        page.get_by_label("Insights key").fill(INSIGHTS_TOKEN)
        page.get_by_role("button", name="Show the insights").click()
        page.get_by_role("heading", name="Section 117 assistant: the last 30 days").wait_for()
        assert INSIGHTS_TOKEN not in page.url
        axe(page, "insights page", axe_log)
        assert page.locator("table caption").first.inner_text() == "Answers given, by topic"
        shot(page, "1280-14-insights", "The deployer's insights page after the browser tests",
             screenshots)
        context.set_default_timeout(10_000)
        page.set_viewport_size({"width": 320, "height": 640})
        axe(page, "insights page at 320px", axe_log)
    finally:
        context.close()
