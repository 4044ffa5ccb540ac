"""Small helpers shared by the browser tests."""

from __future__ import annotations

from typing import Any

from axe_playwright_python.sync_playwright import Axe

from pathlib import Path

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"

BOT = "#transcript .msg.bot"
# axe's target-size rule (WCAG 2.2, 2.5.8) is off by default; we want it.
AXE_OPTIONS = {"resultTypes": ["violations"], "rules": {"target-size": {"enabled": True}}}
_axe = Axe()


def open_chat(page, base_url: str, query: str = "") -> None:
    page.goto(f"{base_url}/{query}")
    page.wait_for_selector(BOT)
    wait_idle(page)


def wait_idle(page) -> None:
    """The widget is not waiting for the server ("typing…" is gone)."""
    # Locator waits, not wait_for_function: our CSP (rightly) forbids the eval that needs.
    page.locator("#typing.active").wait_for(state="detached")


def bot_count(page) -> int:
    return page.locator(BOT).count()


def ask(page, text: str) -> None:
    before = bot_count(page)
    page.fill("#message", text)
    page.press("#message", "Enter")
    page.locator(BOT).nth(before).wait_for()
    wait_idle(page)


def axe(page, state: str, axe_log: dict[str, Any]) -> None:
    """Run axe-core on the page; record the result for the report; fail on any violation."""
    results = _axe.run(page, options=AXE_OPTIONS)
    violations = results.response["violations"]
    axe_log[state] = {
        "violations": len(violations),
        "rules": sorted(v["id"] for v in violations),
        "url": page.url,
        "viewport": page.viewport_size,
    }
    assert not violations, f"axe violations in state {state!r}:\n{results.generate_report()}"


def shot(page, name: str, what: str, screenshots: dict[str, str], full_page: bool = True) -> None:
    path = SCREENSHOTS / f"{name}.png"
    if full_page:
        page.evaluate("window.scrollTo(0, 0)")  # so the sticky bar is drawn at the top
    page.screenshot(path=str(path), full_page=full_page)
    screenshots[str(path.relative_to(SCREENSHOTS.parents[1]))] = what


FOCUS_STATE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return {ok: false, why: 'nothing focused'};
  const box = el.getBoundingClientRect();
  const inView = box.width > 0 && box.height > 0 && box.top >= 0 && box.left >= 0 &&
                 box.bottom <= window.innerHeight + 1 && box.right <= window.innerWidth + 1;
  // A link that wraps onto two lines is two boxes with text between them: look at its first.
  const r = el.getClientRects()[0] || box;
  // Is it covered by something else (the sticky bar, for example)? Check a few points.
  // (Points away from the corners, which may be rounded off.)
  const x = r.left + r.width / 2;
  const points = [[x, r.top + r.height / 2], [x, r.top + Math.min(6, r.height / 4)],
                  [x, r.bottom - Math.min(6, r.height / 4)]];
  const covered = points.some(([x, y]) => {
    const hit = document.elementFromPoint(x, y);
    return !hit || !(hit === el || el.contains(hit));
  });
  const s = getComputedStyle(el);
  const indicator = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) ||
                    s.boxShadow !== 'none';
  return {ok: inView && !covered && indicator, inView, covered, indicator,
          tag: el.tagName, text: (el.innerText || el.value || el.id || '').slice(0, 40)};
}"""


def assert_focus_visible(page) -> None:
    state = page.evaluate(FOCUS_STATE)
    assert state["ok"], f"focus not visible: {state}"


def tab_to(page, selector: str, limit: int = 80, backwards: bool = False) -> int:
    """Press Tab (only the keyboard) until the focused element matches the CSS selector.

    Every stop on the way must show a visible focus that nothing covers.
    """
    key = "Shift+Tab" if backwards else "Tab"
    for presses in range(1, limit + 1):
        page.keyboard.press(key)
        assert_focus_visible(page)
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return presses
    raise AssertionError(f"could not reach {selector!r} with {key} in {limit} presses")


def focused(page) -> str:
    return page.evaluate("document.activeElement.outerHTML.slice(0, 120)")
