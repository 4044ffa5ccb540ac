"""Exit this page, Delete my conversation, Start again, Print, Read aloud, the switches, and
what the widget keeps in the browser."""

from __future__ import annotations

import pytest

from tests.browser.conftest import EXIT_HOST, SECRET
from tests.browser.helpers import BOT, ask, open_chat, shot, wait_idle
from web import signing

pytestmark = pytest.mark.browser

def session_token(page) -> str | None:
    return page.evaluate("sessionStorage.getItem('s117.session')")


def conversation(page) -> str:
    return signing.conversation_id(SECRET, session_token(page))


def wait_until_tracker_empty(fake_rasa, sender: str, page) -> None:
    for _ in range(50):
        if fake_rasa.rows(sender) == 0:
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"the tracker still has {fake_rasa.rows(sender)} events")


# ---------------------------------------------------------------------- Exit this page
def test_exit_button_leaves_clears_and_forgets(page, base_url, fake_rasa):
    open_chat(page, base_url)
    ask(page, "what is section 117")
    sender = conversation(page)
    assert fake_rasa.rows(sender) > 0
    page.get_by_role("button", name="Exit this page").click()
    page.wait_for_url(f"{EXIT_HOST}weather")
    assert page.title() == "Weather"
    # The chat page was replaced (not pushed): Back does not return to it.
    assert page.evaluate("history.length") == 2  # about:blank, then the neutral site
    wait_until_tracker_empty(fake_rasa, sender, page)
    page.goto(base_url + "/static/symbols/hello.svg")  # back on our origin: storage is empty
    assert page.evaluate("Object.keys(sessionStorage).filter(k => k.startsWith('s117'))") == []


def test_shift_three_times_exits(page, base_url):
    open_chat(page, base_url)
    page.click("#message")
    for _ in range(3):
        page.keyboard.press("Shift")
    page.wait_for_url(f"{EXIT_HOST}weather")


def test_shift_for_capital_letters_does_not_exit(page, base_url):
    open_chat(page, base_url)
    page.click("#message")
    for letter in "IAM":  # Shift held for each capital: typing, not an exit
        page.keyboard.press(f"Shift+{letter}")
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    page.keyboard.type("x")  # another key starts the count again
    page.keyboard.press("Shift")
    page.wait_for_timeout(300)
    assert page.url.startswith(base_url)
    assert page.input_value("#message") == "IAMx"


def test_shift_presses_spread_over_more_than_5_seconds_do_not_exit(page, base_url):
    open_chat(page, base_url)
    page.clock.install()
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    page.clock.fast_forward(6000)
    page.keyboard.press("Shift")
    page.wait_for_timeout(300)
    assert page.url.startswith(base_url)


# ---------------------------------------------------------------------- Delete my conversation
def test_delete_removes_the_tracker_on_the_server(page, base_url, fake_rasa):
    open_chat(page, base_url)
    ask(page, "what is section 117")
    sender = conversation(page)
    other_sender = "someone-else"
    fake_rasa.senders.clear()
    assert fake_rasa.rows(sender) >= 4
    page.get_by_role("button", name="Delete my conversation").click()
    page.locator(".msg.user").first.wait_for(state="detached")
    page.locator(BOT).first.wait_for()
    wait_idle(page)
    assert fake_rasa.rows(sender) == 0, "the server still has the conversation"
    assert fake_rasa.rows(other_sender) == 0
    # A new conversation with a new id; the old token is gone from the browser.
    assert conversation(page) != sender
    assert page.locator(BOT).count() == 1
    page.locator("#announce", has_text="Your conversation is deleted").wait_for(state="attached")


def test_start_again_gives_a_fresh_conversation(page, base_url):
    open_chat(page, base_url)
    first = session_token(page)
    ask(page, "what is section 117")
    page.get_by_role("button", name="Start again").click()
    page.locator(".msg.user").first.wait_for(state="detached")
    page.locator(BOT).first.wait_for()
    wait_idle(page)
    assert session_token(page) != first
    assert page.locator("#transcript .msg").count() == 1


# ---------------------------------------------------------------------- sources
def test_more_detail_lists_every_source_an_advocate_can_cite(page, base_url):
    open_chat(page, base_url)
    page.get_by_role("button", name="Charging").click()
    page.locator(BOT).nth(1).wait_for()
    wait_idle(page)
    # The easy-read answer names one or two sources in plain words.
    easy = page.locator(BOT).nth(1).locator(":scope > .meta")
    assert easy.text_content() == ("From: the Mental Health Act 1983, section 117 (opens in a new "
                                   "tab) and a House of Lords case (2002) (opens in a new tab). "
                                   "Checked 25 November 2026.")
    page.get_by_role("button", name="More detail").click()
    detail = page.locator(".detail:not([hidden])")
    detail.wait_for()
    wait_idle(page)
    # The law and decisions an advocate quotes first, then the other sources.
    assert detail.locator(".sources-heading").all_inner_texts() == [
        "The law and decisions you can cite:", "Other sources:"]
    lists = detail.locator(".source-list")
    texts = [[t.replace(" (opens in a new tab)", "") for t in lists.nth(i).locator("li")
              .all_text_contents()] for i in range(2)]
    assert texts == [[
        "Mental Health Act 1983, section 117(1) (law).",
        "R v Manchester City Council, ex parte Stennett [2002] UKHL 34 (court case).",
        "Local Government and Social Care Ombudsman, decision 18 010 781b "
        "(Lewisham CCG) (ombudsman).",
    ], ["Mind: Leaving hospital / section 117 aftercare (published July 2020, under review) "
        "(charity)."]]
    # An Ombudsman decision number in the text is not made a phone link.
    assert "18 010 781b" in detail.inner_text()
    assert detail.locator("a[href^='tel:']").count() == 0
    links = detail.locator(".source-list a")
    assert links.count() == 3  # Mind's page has no web address recorded: its title is plain text
    for i in range(links.count()):
        link = links.nth(i)
        assert link.get_attribute("target") == "_blank"
        assert link.get_attribute("rel") == "noopener noreferrer"
        assert link.locator(".visually-hidden").text_content() == " (opens in a new tab)"
    assert "This answer was checked 25 November 2026." in detail.inner_text()
    assert "facts.md" not in page.content()


# ---------------------------------------------------------------------- Print or save
def test_print_view_is_a_clean_easy_read_page(page, base_url, screenshots):
    open_chat(page, base_url)
    page.get_by_role("button", name="Charging").click()
    page.locator(BOT).nth(1).wait_for()
    wait_idle(page)
    page.get_by_role("button", name="More detail").click()
    page.locator(".detail:not([hidden])").wait_for()
    wait_idle(page)
    page.get_by_role("button", name="Print or save my answers").click()
    view = page.locator("#print-view")
    view.wait_for()
    text = view.inner_text()
    assert "My section 117 answers" in text
    assert "You chose: Charging" in text
    assert "No. You do not pay for section 117 aftercare." in text
    assert "Stennett" in text  # the More detail answer is kept too
    assert "Checked 25 November 2026." in text
    assert view.locator("img[alt='Money with a cross']").count() == 1
    # It ends with the sources it used, web addresses written out for paper.
    references = view.locator(".references")
    assert references.locator("h2").inner_text() == "Where these answers come from"
    items = references.locator("li").all_text_contents()
    assert items[0].startswith("Mental Health Act 1983, section 117(1) (law). https://www."
                               "legislation.gov.uk/ukpga/1983/20/part/VIII/crossheading/aftercare/")
    assert any(i.startswith("R v Manchester City Council, ex parte Stennett [2002] UKHL 34 "
                            "(court case). http://www.bailii.org/uk/cases/UKHL/2002/34.html")
               for i in items), items
    assert all("facts.md" not in i for i in items)
    assert len(items) == len(set(items))
    assert page.locator("#chat-view").is_hidden()
    assert page.locator("#print-view button.choice, #print-view .read-aloud").count() == 0
    # On paper, only the answers: no bar, no buttons.
    page.emulate_media(media="print")
    assert page.locator(".bar").is_hidden()
    assert page.locator("#print-now").is_hidden()
    shot(page, "1280-09-print-media", "The print view as it prints (print media): answers, "
         "pictures, sources; no buttons", screenshots)
    page.emulate_media(media="screen")
    page.get_by_role("button", name="Back to the chat").click()
    assert page.locator("#chat-view").is_visible()


# ---------------------------------------------------------------------- Read aloud
def test_read_aloud_speaks_the_plain_text(page, base_url):
    page.add_init_script("""
        window.__spoken = [];
        window.speechSynthesis.speak = (u) => { window.__spoken.push([u.text, u.lang]); };
    """)
    open_chat(page, base_url)
    page.locator(".read-aloud").first.click()
    spoken = page.evaluate("window.__spoken")
    assert spoken == [["Hello. I can tell you about section 117 aftercare. This is free help "
                       "after you leave mental health hospital. Ask me a question, or pick a "
                       "topic.", "en-GB"]]
    assert page.locator(".read-aloud").first.inner_text() == "Stop reading"


# ---------------------------------------------------------------------- kept for the session
def test_switches_and_conversation_survive_a_reload_in_the_same_tab(page, base_url, context):
    open_chat(page, base_url)
    ask(page, "what is section 117")
    page.get_by_role("button", name="Bigger text").click()
    page.get_by_role("button", name="High contrast").click()
    page.reload()
    page.locator(BOT).nth(1).wait_for()
    assert page.get_attribute("#bigger-text", "aria-pressed") == "true"
    assert page.get_attribute("#high-contrast", "aria-pressed") == "true"
    assert page.evaluate("document.documentElement.className").split() == [
        "bigger-text", "high-contrast"]
    assert page.locator("#transcript .msg").count() == 3
    # The session token is in sessionStorage, never in a cookie.
    assert session_token(page)
    assert context.cookies() == []


def test_contacts_show_address_and_note_as_text(page, base_url):
    open_chat(page, base_url)
    ask(page, "who can I contact")
    card = page.locator(".contact").filter(has_text="Kent County Council").last
    card.wait_for()
    assert "Address: Customer Care and Complaints Team, Invicta House" in card.inner_text()
    assert "Check the council's web page" in card.inner_text()
    # Nothing to link but the card's public source: no invented number or address.
    assert card.locator("a").count() == card.locator(".meta a").count() == 1
