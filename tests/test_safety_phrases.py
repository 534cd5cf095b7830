"""Safety in every language, by text and by call, on phrase sets the line has never seen.

Cold: the very first text of a new phone (or what a new caller says at the
language menu). Warm: after the patient chose the language. Crisis texts get
the crisis reply with both numbers; emergencies start with the line to call
the emergency number; asking for a person gets the phone; guards (idioms,
calm questions) and everyday words get their normal answer, never opt out
and never switch the language.
"""
from __future__ import annotations

import itertools
import re

import pytest
import redis

from ivr import create_app
from ivr.engine import Kind, Screen
from tests.conftest import PUBLIC_URL, TEST_SECRET, TEST_TOKEN
from tests.phone import Caller, Texter
from tests.phrase_sets import LOCALES, SPOKEN, phrases

ORG_PHONE = "+1 412 555 0100"
# The target is every phrase. These floors are what the line reaches today on these sets
# (README, Safety): a change that loses ground fails; the gaps are listed in each failure.
FLOOR = {"crisis": 0.90, "emergency": 0.90, "person": 0.90, "guards": 0.95, "everyday": 1.0, "call": 0.85,
         "call guards": 0.80}
EMERGENCY, CRISIS_LINE = "911", "988"
_numbers = itertools.count(100000)


@pytest.fixture(scope="module")
def line_app(redis_url):
    redis.Redis.from_url(redis_url).flushdb()
    settings = {"mode": "production", "auth_token": TEST_TOKEN, "hash_secret": TEST_SECRET,
                "public_url": PUBLIC_URL, "redis_url": redis_url, "org_name": "Infoline",
                "org_phone": ORG_PHONE, "locales": ",".join(LOCALES), "outbox": "thread",
                "sms_per_window": 1000}  # one warm phone sends every phrase of a list
    return create_app(settings, environ={})


def new_number() -> str:
    return f"+1415{next(_numbers):07d}"


def saved_state(app, phone: str):
    return app.extensions["infoline"].sessions.load(phone).state


def screen_text(app, kind: Kind, lang: str) -> str:
    return app.extensions["infoline"].sms_renderer.screen_text(Screen(kind, lang))


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def warm_texter(app, locale: str) -> Texter:
    """A phone that chose `locale` (by its name, as the LANG menu lists it)."""
    texter = Texter(app.test_client(), new_number(), TEST_TOKEN, PUBLIC_URL)
    name = app.extensions["infoline"].translations[locale].name
    texter.send(name)
    assert saved_state(app, texter.phone).lang == locale
    return texter


def cold_texter(app) -> Texter:
    return Texter(app.test_client(), new_number(), TEST_TOKEN, PUBLIC_URL)


def report(failures: list[str], total: int, what: str) -> str:
    return f"{len(failures)} of {total} {what}:\n" + "\n".join(failures)


def check(failures: list[str], total: int, section: str, what: str) -> None:
    """At least the section's floor; every miss is shown when it falls short."""
    assert 1 - len(failures) / total >= FLOOR[section], report(failures, total, what)


WHAT = {"crisis": "crisis texts missed", "emergency": "emergencies missed", "person": "requests for a person missed",
        "guards": "guards answered as safety", "everyday": "everyday words mishandled"}


def play(app, locale: str, section: str, warm: bool, judge, fresh: bool = False) -> None:
    """Send every phrase of a section (from one warm phone, or each from a new one); `judge` names what went wrong."""
    failures = []
    shared = warm_texter(app, locale) if warm and not fresh else None
    for body in phrases(locale, section):
        texter = shared or (warm_texter(app, locale) if warm else cold_texter(app))
        wrong = judge(texter, texter.send(body))
        if wrong:
            failures.append(f"  {body!r} -> {wrong}")
    check(failures, len(phrases(locale, section)), section, WHAT[section])


@pytest.mark.parametrize("warm", [False, True], ids=["cold", "warm"])
@pytest.mark.parametrize("locale", LOCALES)
def test_crisis_texts_get_the_crisis_reply_with_both_numbers(line_app, locale, warm):
    def judge(texter, reply):
        text = reply.text
        ok = reply.status == 200 and CRISIS_LINE in text and EMERGENCY in text and digits(ORG_PHONE) in digits(text)
        if warm:
            ok = ok and screen_text(line_app, Kind.CRISIS, locale) in text
        return "" if ok else repr(text[:120])

    play(line_app, locale, "crisis", warm, judge)


@pytest.mark.parametrize("warm", [False, True], ids=["cold", "warm"])
@pytest.mark.parametrize("locale", LOCALES)
def test_emergencies_start_with_the_line_to_call_the_emergency_number(line_app, locale, warm):
    # The emergency line itself, in any language (a first text's reply may be in another): not the
    # notice's "In an emergency, call 911", which a first contact gets whatever it says.
    lines = {screen_text(line_app, Kind.EMERGENCY, lang).split("\n")[0] for lang in LOCALES}

    def judge(texter, reply):
        first_line = reply.messages[0].split("\n")[0] if reply.messages else ""
        return "" if EMERGENCY in first_line and first_line in lines else repr(first_line[:100])

    play(line_app, locale, "emergency", warm, judge)


@pytest.mark.parametrize("warm", [False, True], ids=["cold", "warm"])
@pytest.mark.parametrize("locale", LOCALES)
def test_asking_for_a_person_gets_the_phone(line_app, locale, warm):
    def judge(texter, reply):
        return "" if digits(ORG_PHONE) in digits(reply.text) else repr(reply.text[:100])

    play(line_app, locale, "person", warm, judge)


@pytest.mark.parametrize("warm", [False, True], ids=["cold", "warm"])
@pytest.mark.parametrize("locale", LOCALES)
def test_guards_get_their_normal_answer_never_crisis_or_emergency_wording(line_app, locale, warm):
    def judge(texter, reply):
        wrong = [kind.value for kind in (Kind.CRISIS, Kind.EMERGENCY)
                 if any(screen_text(line_app, kind, lang) in reply.text for lang in LOCALES)]
        return ", ".join(wrong) or ("" if reply.status == 200 else f"status {reply.status}")

    play(line_app, locale, "guards", warm, judge)


@pytest.mark.parametrize("warm", [False, True], ids=["cold", "warm"])
@pytest.mark.parametrize("locale", LOCALES)
def test_everyday_words_never_opt_out_nor_switch_the_language(line_app, locale, warm):
    def judge(texter, reply):
        state = saved_state(line_app, texter.phone)
        if state.opted_out or not reply.messages:
            return "opted out or silent"
        return f"switched to {state.lang}" if warm and state.lang != locale else ""

    play(line_app, locale, "everyday", warm, judge, fresh=True)


# -- by call ---------------------------------------------------------------------
def warm_caller(app, locale: str) -> Caller:
    """A new caller who chose `locale` at the spoken language menu."""
    caller = Caller(app.test_client(), new_number(), TEST_TOKEN, PUBLIC_URL)
    caller.dial()
    pages = app.extensions["infoline"].voice_engine._language_pages()
    for page in pages:
        if locale in page:
            caller.press(str(page.index(locale) + 1))
            break
        caller.press("8")
    assert caller.last is not None and caller.last.gather is not None
    return caller


def cold_caller(app) -> Caller:
    caller = Caller(app.test_client(), new_number(), TEST_TOKEN, PUBLIC_URL)
    caller.dial()
    return caller


@pytest.mark.parametrize("warm", [False, True], ids=["cold", "warm"])
@pytest.mark.parametrize("locale", SPOKEN)
def test_by_call_crisis_emergency_and_a_person(line_app, locale, warm):
    failures = []
    caller = warm_caller(line_app, locale) if warm else None
    checks = {"crisis": lambda heard: CRISIS_LINE in digits(heard.text) and EMERGENCY in digits(heard.text),
              "emergency": lambda heard: heard.sayings and EMERGENCY in digits(heard.sayings[0][2]),
              "person": lambda heard: digits(ORG_PHONE) in digits(heard.text)}
    for section, answered in checks.items():
        for words in phrases(locale, section):
            heard = (caller or cold_caller(line_app)).say(words)
            if heard.status != 200 or not answered(heard) or not heard.gather:
                failures.append(f"  {section}: {words!r} -> {heard.text[:100]!r}")
    total = sum(len(phrases(locale, section)) for section in checks)
    check(failures, total, "call", "spoken safety phrases missed")


@pytest.mark.parametrize("locale", SPOKEN)
def test_by_call_guards_are_not_safety_replies(line_app, locale):
    failures = []
    caller = warm_caller(line_app, locale)
    crisis = digits(screen_text(line_app, Kind.CRISIS, locale))
    for words in phrases(locale, "guards"):
        heard = caller.say(words)
        first = heard.sayings[0][2] if heard.sayings else ""
        if heard.status != 200 or (EMERGENCY in digits(first)) or (crisis and CRISIS_LINE in digits(heard.text)):
            failures.append(f"  {words!r} -> {heard.text[:100]!r}")
    check(failures, len(phrases(locale, "guards")), "call guards", "spoken guards answered as safety")
