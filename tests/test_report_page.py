"""The /report page in a real browser (Chromium via Playwright), after a mixed run of texts and calls."""
from __future__ import annotations

import threading

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from ivr import create_app
from tests.phone import Caller, Texter
from tests.test_web_phone import browser  # noqa: F401  (the shared Chromium fixture)

TOKEN = "report-test-token-0123456789"


@pytest.fixture
def report_server(redis_url, redis_client):
    app = create_app({"mode": "local", "auth_token": TOKEN, "hash_secret": "r" * 32, "redis_url": redis_url,
                      "outbox": "thread", "public_url": "http://line.test"}, environ={})
    client = app.test_client()
    for n, body in enumerate(["BONE", "chemo", "blah blah", "quiero morir", "me duelen los huesos"]):
        Texter(client, f"+1412561{n:04d}", TOKEN, "http://line.test").send(body)
    caller = Caller(client, "+14125619999", TOKEN, "http://line.test")
    caller.dial()
    caller.press("1")
    caller.press("2")
    http = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{http.server_port}"
    http.shutdown()


def test_the_report_shows_topics_safety_and_the_phone_funnel_as_charts(browser, report_server):  # noqa: F811
    page = browser.new_page()
    page.goto(f"{report_server}/report")
    expect(page.get_by_role("heading", name="Infoline report")).to_be_visible()
    expect(page.get_by_role("img", name="Topics asked for")).to_be_visible()
    expect(page.get_by_role("img", name="Topics asked for")).to_contain_text("symptoms.bone")
    expect(page.get_by_role("img", name="Safety events")).to_contain_text("crisis (sms)")
    expect(page.get_by_role("img", name="Phone calls: the funnel")).to_contain_text("call_started")
    expect(page.get_by_role("img", name="Not understood, per language (% of texts)")).to_be_visible()
    assert "+1412561" not in page.content()
    page.close()


def test_in_production_the_report_needs_its_password(settings):
    app = create_app({**settings, "report_password": "a-report-password"}, environ={})
    client = app.test_client()
    assert client.get("/report").status_code == 401
    assert client.get("/report", headers={"Authorization": "Basic eDphLXJlcG9ydC1wYXNzd29yZA=="}).status_code == 200
    assert create_app(settings, environ={}).test_client().get("/report").status_code == 404
