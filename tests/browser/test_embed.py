"""One <script> tag on a partner's site opens the widget, with the partner's area and colour."""

from __future__ import annotations

import json

import pytest

from tests.browser.conftest import EXIT_HOST, PARTNER, new_context
from tests.browser.helpers import shot

pytestmark = pytest.mark.browser


def partner_page(browser, partner: str, colour: str, width: int = 1280, height: int = 800):
    context = new_context(browser, width=width, height=height)
    starts: list[dict] = []
    context.on("request", lambda r: starts.append(json.loads(r.post_data or "{}"))
               if r.url.endswith("/api/start") else None)
    page = context.new_page()
    page.goto(f"{partner}/colour/{colour.lstrip('#')}")
    return context, page, starts


def test_launcher_opens_the_widget_with_the_area_and_colour(browser, base_url, partner_site,
                                                            screenshots):
    context, page, starts = partner_page(browser, partner_site, "#005eb8")
    try:
        launcher = page.get_by_role("button", name="Ask about section 117 aftercare")
        assert launcher.get_attribute("aria-expanded") == "false"
        shot(page, "1280-11-partner-launcher", "A partner's page with the one-tag launcher "
             "button (bottom right)", screenshots, full_page=False)
        launcher.click()
        assert launcher.get_attribute("aria-expanded") == "true"
        frame_element = page.locator("iframe[title='Section 117 aftercare helper']")
        src = frame_element.get_attribute("src")
        assert src.startswith(base_url + "/?")
        assert "area=kent" in src and "colour=%23005eb8" in src
        frame = page.frame_locator("iframe[title='Section 117 aftercare helper']")
        frame.locator("#transcript .msg.bot").first.wait_for()
        assert {"area": "kent"} in starts  # the widget tells the backend the partner's area
        brand = frame.locator("html").get_attribute("data-brand")
        assert brand == "#005eb8"
        shot(page, "1280-12-partner-open", "The widget open in its panel on the partner's page",
             screenshots, full_page=False)
        page.get_by_role("button", name="Close the helper").click()
        assert launcher.get_attribute("aria-expanded") == "false"
    finally:
        context.close()


def test_low_contrast_colour_falls_back_to_the_default(browser, base_url, partner_site):
    context, page, _ = partner_page(browser, partner_site, "#ffeb3b")  # yellow: 1.2:1 on white
    try:
        launcher = page.get_by_role("button", name="Ask about section 117 aftercare")
        background = launcher.evaluate("e => getComputedStyle(e).backgroundColor")
        assert background == "rgb(0, 94, 184)"
        launcher.click()
        src = page.locator("iframe").get_attribute("src")
        assert "colour=%23005eb8" in src
    finally:
        context.close()


def test_widget_itself_checks_the_colour_in_its_address(page, base_url):
    page.goto(f"{base_url}/?colour=%23ffff00")
    page.locator("#transcript .msg.bot").first.wait_for()
    assert page.get_attribute("html", "data-brand") == "#005eb8"
    page.goto(f"{base_url}/?colour=%23003087")
    page.locator("#transcript .msg.bot").first.wait_for()
    assert page.get_attribute("html", "data-brand") == "#003087"
    bar = page.locator(".bar").evaluate("e => getComputedStyle(e).backgroundColor")
    assert bar == "rgb(0, 48, 135)"


def test_exit_inside_the_widget_leaves_the_partner_page_too(browser, base_url, partner_site):
    context, page, _ = partner_page(browser, partner_site, "#005eb8")
    try:
        page.get_by_role("button", name="Ask about section 117 aftercare").click()
        frame = page.frame_locator("iframe")
        frame.locator("#transcript .msg.bot").first.wait_for()
        frame.get_by_role("button", name="Exit this page").click()
        page.wait_for_url(f"{EXIT_HOST}weather")
    finally:
        context.close()


def test_other_sites_may_not_frame_the_widget(page, base_url, problems):
    headers = page.request.get(base_url + "/").headers
    assert f"frame-ancestors 'self' {PARTNER}" in headers["content-security-policy"]
    assert "x-frame-options" not in headers  # partners listed: frame-ancestors decides
