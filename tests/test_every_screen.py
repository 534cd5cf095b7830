"""Crawl every screen of every shipped locale, by SMS and by voice, through signed webhooks.

Each screen must be reachable by numbers/keys from the main menu, translated
(not the English), within the SMS segment budget, and spoken by the locale's
own voice within the <Say> limit.
"""
from __future__ import annotations

import pytest

from ivr import create_app
from ivr.config import Settings
from ivr.content import load_content
from ivr.engine import Kind, Screen
from ivr.render.segments import count_segments
from ivr.render.voices import voice_for
from tests.conftest import PUBLIC_URL, TEST_TOKEN
from tests.phone import Caller, Texter

SHIPPED = list(Settings().locales)  # the locales enabled by default
CONTENT = load_content()


def paths() -> list[tuple[str, list[int]]]:
    """Every node with the numbers that reach it from the main menu."""
    found = [("main", [])]

    def visit(node_id: str, numbers: list[int]) -> None:
        for number, child in enumerate(CONTENT.nodes[node_id].children, start=1):
            found.append((child, [*numbers, number]))
            visit(child, [*numbers, number])

    visit("main", [])
    return found


@pytest.fixture(scope="module")
def crawl_app(redis_url):
    settings = {"mode": "production", "auth_token": TEST_TOKEN, "hash_secret": "crawl-secret-0123456789",
                "public_url": PUBLIC_URL, "redis_url": redis_url, "org_phone": "+1 412 555 0100",
                "locales": ",".join(SHIPPED), "outbox": "thread", "account_sid": "AC" + "0" * 32,
                "sms_per_window": 1000}  # a crawl is one phone texting hundreds of times
    from tests.twilio_http import RecordingHttpClient

    return create_app(settings, environ={}, twilio_http_client=RecordingHttpClient())


def test_every_shipped_locale_is_complete_and_offered(crawl_app):
    assert crawl_app.extensions["infoline"].translations.locales == SHIPPED


def sms_screens(app, locale: str) -> dict[str, list[str]]:
    """{node id: [its messages, page after page]} as a texter of `locale` gets them."""
    line = app.extensions["infoline"]
    locales = line.translations.locales
    end_of_topic = line.sms_renderer.screen_text(Screen(Kind.END_OF_TOPIC, locale))
    texter = Texter(app.test_client(), f"+1999{abs(hash(locale)) % 10**7:07d}", TEST_TOKEN, PUBLIC_URL)
    texter.send("LANG")
    texter.send(str(locales.index(locale) + 1))
    screens: dict[str, list[str]] = {}
    for node_id, numbers in paths():
        reply = texter.send("MENU")
        for number in numbers:
            reply = texter.send(str(number))
        pages = [reply.text]
        while not CONTENT.nodes[node_id].is_menu and len(pages) < 10:
            more = texter.send("MORE")
            if more.text == end_of_topic:
                break
            pages.append(more.text)
        for page in pages:
            for message in page.split("\n---\n"):
                assert count_segments(message).segments <= 3, (locale, node_id, message)
        screens[node_id] = pages
    return screens


@pytest.fixture(scope="module")
def english_sms(crawl_app):
    return sms_screens(crawl_app, "en")


@pytest.mark.parametrize("locale", SHIPPED)
def test_every_sms_screen_is_reachable_translated_and_within_budget(crawl_app, english_sms, locale):
    tr = crawl_app.extensions["infoline"].translations[locale]
    screens = sms_screens(crawl_app, locale)
    for node_id, pages in screens.items():
        node = CONTENT.nodes[node_id]
        first_line = tr.body(node).split("\n")[0]
        assert first_line[:30] in pages[0].replace("\u200f", ""), (locale, node_id, pages[0])
        if locale != "en":
            assert pages[0] != english_sms[node_id][0], (locale, node_id, "is the English text")


def call_screens(app, locale: str) -> dict[str, object]:
    """{node id: what a caller hears there} for a caller of `locale`, reached by keys."""
    line = app.extensions["infoline"]
    caller = Caller(app.test_client(), f"+1888{abs(hash(locale)) % 10**7:07d}", TEST_TOKEN, PUBLIC_URL)
    caller.dial()
    index = line.voice_engine.locales.index(locale)
    for _ in range(index // 7):  # seven languages a page; 8 says the next page
        caller.press("8")
    caller.press(str(index % 7 + 1))
    heard: dict[str, object] = {}
    for node_id, numbers in paths():
        last = caller.press("0")
        for number in numbers:
            last = caller.press(str(number))
        heard[node_id] = last
    return heard


SPOKEN = [locale for locale in SHIPPED if voice_for(locale)]


@pytest.fixture(scope="module")
def english_calls(crawl_app):
    return call_screens(crawl_app, "en")


@pytest.mark.parametrize("locale", SPOKEN)
def test_every_voice_screen_is_reachable_spoken_in_its_voice_and_within_limits(crawl_app, english_calls, locale):
    voice = voice_for(locale)
    tr = crawl_app.extensions["infoline"].translations[locale]
    for node_id, heard in call_screens(crawl_app, locale).items():
        node = CONTENT.nodes[node_id]
        assert heard.gather is not None and heard.gather["language"] == voice.speech_language, (locale, node_id)
        assert {(v, lang) for v, lang, _ in heard.sayings} == {(voice.say_voice, voice.say_language)}, (locale, node_id)
        assert all(len(text) <= voice.max_say_chars for _, _, text in heard.sayings), (locale, node_id)
        first_line = tr.body(node).split("\n")[0].removeprefix("- ")
        assert first_line[:25] in heard.text, (locale, node_id, heard.text)
        if locale != "en":
            assert heard.text != english_calls[node_id].text, (locale, node_id, "is the English text")


def test_text_only_locales_are_left_out_of_the_voice_menu(crawl_app):
    line = crawl_app.extensions["infoline"]
    assert line.voice_engine.locales == SPOKEN
    caller = Caller(crawl_app.test_client(), "+18885550001", TEST_TOKEN, PUBLIC_URL)
    first_page = caller.dial()
    spoken = {language for _, language, _ in first_page.sayings}
    if len(SPOKEN) > 8:  # keys 1-8 only: seven languages a page, 8 for more
        second_page = caller.press("8")
        spoken |= {language for _, language, _ in second_page.sayings}
        assert "For English, press 1." in caller.press("8").text  # and round again
    assert spoken == {voice_for(locale).say_language for locale in SPOKEN}
