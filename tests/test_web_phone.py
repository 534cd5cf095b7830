"""The web phone in a real browser (Debian's Chromium driven by Playwright), against the running app."""
from __future__ import annotations

import os
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
                      "redis_url": redis_url, "outbox": "thread"}, environ={})
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
    page.click("#new-caller")
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
    expect(page.locator("#prompt")).to_contain_text("For English, press 1.")
    expect(page.locator("#prompt")).to_contain_text("Para español, oprima 2.")
    page.click(".keypad button[data-key='2']")
    expect(page.locator("#prompt")).to_contain_text("Para Síntomas, oprima 2.")
    page.click(".keypad button[data-key='2']")
    expect(page.locator("#prompt")).to_contain_text("Para Huesos, oprima 2.")
    page.click("#show-state")
    expect(page.locator("#state")).to_contain_text('"lang": "es"')


def test_press_8_shows_the_text_that_would_be_sent(page):
    page.click("#dial")
    page.click(".keypad button[data-key='1']")
    page.fill("#say-words", "bone")
    page.press("#say-words", "Enter")
    expect(page.locator("#prompt")).to_contain_text("broken bones (fractures)")
    page.click(".keypad button[data-key='8']")
    expect(page.locator("#texts")).to_contain_text("Text message that would be sent")
    page.click("#silent")
    expect(page.locator("#prompt")).to_contain_text("did not hear anything")
