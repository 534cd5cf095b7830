"""The web phone in a real browser (Debian's Chromium driven by Playwright), against the running app."""
from __future__ import annotations

import os
import re
import shutil
import threading

import pytest
from playwright.sync_api import expect, sync_playwright
from werkzeug.serving import make_server

from ivr import create_app

CHROMIUM = os.environ.get("IVR_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def server(redis_url):
    app = create_app({"mode": "local", "auth_token": "browser-test-token", "hash_secret": "b" * 32,
                      "redis_url": redis_url, "outbox": "thread", "org_phone": "+1 412 555 0100"}, environ={})
    http = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{http.server_port}"
    http.shutdown()


@pytest.fixture(scope="module")
def browser():
    assert os.path.exists(CHROMIUM), f"Chromium not found at {CHROMIUM}: apt-get install chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{server}/simulator")
    page.uncheck("#speak")
    page.click("#reset")
    expect(page.locator("#state")).to_contain_text('"known": false')
    yield page
    context.close()


def test_text_symptoms_and_see_the_answer_with_its_cost(page):
    page.fill("#sms-body", "SYMPTOMS")
    page.click("#sms-form button[type=submit]")
    expect(page.locator("#thread")).to_contain_text("2 Bone symptoms")
    expect(page.locator("#thread .meta").first).to_contain_text("GSM-7")
    page.fill("#sms-body", "2")
    page.press("#sms-body", "Enter")
    expect(page.locator("#thread")).to_contain_text("broken bones (fractures)")


def test_call_choose_a_language_press_a_key_and_see_the_prompt(page):
    page.click("#dial")
    expect(page.locator("#call-log")).to_contain_text("For English, press 1.")
    expect(page.locator("#call-log")).to_contain_text("Para español, oprima 2.")
    page.click(".keypad button[data-key='2']")
    expect(page.locator("#call-log")).to_contain_text("Para Síntomas, oprima 2.")
    page.click(".keypad button[data-key='2']")
    expect(page.locator("#call-log")).to_contain_text("Para Huesos, oprima 2.")
    page.click("#show-state")
    expect(page.locator("#state")).to_contain_text('"lang": "es"')


def send(page, body):
    page.fill("#sms-body", body)
    page.press("#sms-body", "Enter")


def press(page, key):
    page.click(f".keypad button[data-key='{key}']")


def call_about_bones(page):
    """Dial, choose English, say "bone": the line reads the bone symptoms."""
    page.click("#dial")
    expect(page.locator("#call-log")).to_contain_text("For English, press 1.")
    press(page, "1")
    expect(page.locator("#call-log")).to_contain_text("Symptoms")
    page.fill("#say-words", "bone")
    page.press("#say-words", "Enter")
    expect(page.locator("#call-log")).to_contain_text("broken bones (fractures)")


def assert_in_order(text, parts):
    at = 0
    for part in parts:
        found = text.find(part, at)
        assert found >= 0, f"{part!r} not found after {text[:at][-80:]!r}"
        at = found + len(part)


def test_press_8_puts_the_text_in_the_thread_as_sent_from_the_call(page):
    call_about_bones(page)
    press(page, "8")
    expect(page.locator("#call-log .sms")).to_contain_text("Text message that would be sent")
    from_call = page.locator("#thread li.in", has_text="broken bones (fractures)")
    expect(from_call).to_have_count(1)
    expect(from_call).to_contain_text("Sent from the call")
    expect(from_call.locator(".meta")).to_contain_text("GSM-7")
    page.click("#silent")
    expect(page.locator("#call-log")).to_contain_text("did not hear anything")


def test_call_history_keeps_every_prompt_and_key_in_order(page):
    call_about_bones(page)
    press(page, "9")  # hear it again: the log grows, nothing is replaced
    expect(page.locator("#call-log li", has_text="broken bones (fractures)")).to_have_count(2)
    history = "\n".join(page.locator("#call-log li").all_inner_texts())
    assert_in_order(history, ["You called the line.", "For English, press 1.", "You pressed 1.", "Symptoms",
                              "You said “bone”.", "broken bones (fractures)", "You pressed 9.",
                              "broken bones (fractures)"])
    log = page.locator("#call-log")
    assert log.evaluate("box => box.scrollHeight > box.clientHeight && getComputedStyle(box).overflowY") == "auto"


# Where part of an element's text is drawn: its gaps to the left and right edges of the element's content box.
GAPS = """(item, part) => {
    const node = item.firstChild, start = node.data.indexOf(part), range = document.createRange();
    range.setStart(node, start);
    range.setEnd(node, start + part.length);
    const drawn = range.getBoundingClientRect(), box = item.getBoundingClientRect(), style = getComputedStyle(item);
    return [drawn.left - box.left - parseFloat(style.paddingLeft),
            box.right - parseFloat(style.paddingRight) - drawn.right];
}"""


def assert_right_to_left(item, short_line):
    expect(item).to_have_attribute("dir", "auto")
    assert item.evaluate("item => getComputedStyle(item).direction") == "rtl"
    left, right = item.evaluate(GAPS, short_line)
    assert right < 2 and left > 100, (left, right)  # a short line hugs the right edge, as on a phone


def test_arabic_bubbles_and_prompts_read_right_to_left_at_phone_width(page):
    page.set_viewport_size({"width": 390, "height": 844})
    send(page, "LANG")
    expect(page.locator("#thread")).to_contain_text("العربية")
    send(page, "5")
    assert_right_to_left(page.locator("#thread li.in", has_text="الأعراض"), "2 الأعراض")
    # The organisation's number keeps its digit groups in order inside the Arabic sentence.
    send(page, "nurse")
    person = page.locator("#thread li.in", has_text="0100")
    expect(person).to_have_count(1)
    lefts = [person.evaluate(GAPS, part)[0] for part in ("+1", "412", "555", "0100")]
    assert lefts == sorted(lefts), lefts
    page.click("#dial")  # a returning caller is greeted in Arabic
    prompt = page.locator("#call-log li.heard").first
    expect(prompt).to_contain_text("Infoline")
    expect(prompt).to_have_attribute("dir", "auto")
    assert prompt.evaluate("item => getComputedStyle(item).direction") == "rtl"
    for key in "228":  # symptoms, bones, text me: pressed at once, answered in turn
        press(page, key)
    # The call's copy starts in English, yet each Arabic line of the text still runs right to left.
    sms = page.locator("#call-log li.sms")
    expect(sms).to_contain_text("كسور العظام")
    assert sms.evaluate(GAPS, "- كسور العظام")[1] < 2
    assert_right_to_left(page.locator("#thread li.from-call"), "- كسور العظام")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_reset_empties_the_page_and_the_next_message_starts_a_new_conversation(page):
    send(page, "LANG")
    expect(page.locator("#thread")).to_contain_text("Español")
    send(page, "2")
    expect(page.locator("#thread")).to_contain_text("Síntomas")
    page.click("#dial")
    expect(page.locator("#call-log li.heard").first).to_be_visible()
    first_number = page.input_value("#number")
    page.click("#reset")
    expect(page.locator("#thread li")).to_have_count(0)
    expect(page.locator("#call-log li")).to_have_count(0)
    expect(page.locator("#call-status")).to_have_text("Not in a call.")
    expect(page.locator("#state")).to_contain_text('"known": false')
    assert page.input_value("#number") != first_number and page.input_value("#number").startswith("+1555")
    send(page, "MENU")  # a first-time caller again: the disclaimer, in English
    expect(page.locator("#thread li.in").first).to_contain_text("This line gives general information")
    expect(page.locator("#thread")).to_contain_text("Symptoms")
    expect(page.locator("#thread")).not_to_contain_text("Síntomas")


def test_export_is_the_whole_session_in_order_with_no_phone_number(page):
    call_about_bones(page)
    press(page, "8")
    expect(page.locator("#thread .from-call")).to_be_visible()
    send(page, "SYMPTOMS")
    expect(page.locator("#thread")).to_contain_text("2 Bone symptoms")
    with page.expect_download() as download:
        page.click("#export")
    text = open(download.value.path(), encoding="utf-8").read()
    assert_in_order(text, ["You (call): You called the line.", "Line (call): For English, press 1.",
                           "You (call): You pressed 1.", "You (call): You said “bone”.",
                           "Line (call): Signs", "broken bones (fractures)", "You (call): You pressed 8.",
                           "Line (text sent from the call): ", "broken bones (fractures)",
                           "You (text): SYMPTOMS", "Line (text): ", "2 Bone symptoms"])
    assert page.input_value("#number") not in text and not re.search(r"\+\d{6,}", text)
