"""The right topic in the right language, from sentences written as patients type them.

Each question is tried as the first text of a new phone (cold) and after the
patient chose the language (warm). The phrase sets were written without
sight of the catalogs (see tests/phrase_sets.py). `python -m tests.test_understanding`
prints the hit rates per language, as the README reports them.
"""
from __future__ import annotations

import itertools

import pytest
import redis

from ivr import create_app
from tests.conftest import PUBLIC_URL, TEST_SECRET, TEST_TOKEN
from tests.phone import Texter
from tests.phrase_sets import LOCALES, questions

TARGET = 0.95  # the goal, not yet reached (README, Understanding)
# What the line reaches today on these sets, per language: a change that loses ground fails.
FLOOR = {"en": 0.98, "es": 0.95, "zh_Hans": 0.93, "vi": 0.96, "ar": 0.90, "ru": 0.95, "ko": 0.96, "fr": 0.96,
         "pt_BR": 0.94, "fil": 0.95, "ht": 0.95, "ne": 0.96}
_numbers = itertools.count(200000)


@pytest.fixture(scope="module")
def line_app(redis_url):
    redis.Redis.from_url(redis_url).flushdb()
    return build_app(redis_url)


def build_app(redis_url: str):
    settings = {"mode": "production", "auth_token": TEST_TOKEN, "hash_secret": TEST_SECRET,
                "public_url": PUBLIC_URL, "redis_url": redis_url, "org_name": "Infoline",
                "org_phone": "+1 412 555 0100", "locales": ",".join(LOCALES), "outbox": "thread",
                "sms_per_window": 1000}
    return create_app(settings, environ={})


def answer(app, locale: str, text: str, warm: bool) -> tuple[str, str, tuple[str, ...]]:
    """(language, topic shown or '', topics offered) after sending `text`."""
    line = app.extensions["infoline"]
    texter = Texter(app.test_client(), f"+1415{next(_numbers):07d}", TEST_TOKEN, PUBLIC_URL)
    if warm:
        texter.send(line.translations[locale].name)
    texter.send(text)
    state = line.sessions.load(texter.phone).state
    shown = state.node if state.node and not line.content.nodes[state.node].is_menu else ""
    if state.node and line.content.nodes[state.node].is_menu:
        shown = state.node
    return state.lang, shown, state.choices


def hit(app, locale: str, text: str, topic: str, warm: bool) -> bool:
    lang, shown, _ = answer(app, locale, text, warm)
    return lang == locale and shown == topic


def rate(app, locale: str, warm: bool) -> tuple[float, list[str]]:
    misses = []
    items = questions(locale)
    for text, topic in items:
        if not hit(app, locale, text, topic, warm):
            lang, shown, choices = answer(app, locale, text, warm)
            misses.append(f"  {text!r}: wanted {topic}, got {lang}/{shown or '-'} {list(choices) or ''}")
    return 1 - len(misses) / len(items), misses


@pytest.mark.parametrize("warm", [False, True], ids=["first text", "language chosen"])
@pytest.mark.parametrize("locale", LOCALES)
def test_questions_reach_the_right_topic_in_the_right_language(line_app, locale, warm):
    score, misses = rate(line_app, locale, warm)
    assert score >= FLOOR[locale], f"{locale}: {score:.0%} < {FLOOR[locale]:.0%} (target {TARGET:.0%})\n" + \
        "\n".join(misses)


COLLISIONS = [  # (locale, message, the topic it must not open)
    ("pt_BR", "não entendi", "symptoms.brain"),
    ("ht", "kanse tete", "symptoms.brain"),
    ("ht", "mwen gen kesyon", ""),
    ("vi", "tôi bị đau", "treatment.goals"),
    ("vi", "ung thư lan sang đâu", "tests.blood"),
    ("fil", "tulungan mo ako", "treatment.local"),
    ("vi", "sưng", "outlook.survival"),
    ("es", "no entiendo", "treatment"),
    ("en", "pain", "main"),
    ("ht", "mesi", "main"),
]


@pytest.mark.parametrize("locale, text, wrong", COLLISIONS)
def test_one_languages_everyday_word_never_opens_another_languages_topic(line_app, locale, text, wrong):
    from ivr.engine import State, Text

    engine = line_app.extensions["infoline"].sms_engine
    for state in (State(), State(lang=locale, chosen=True)):
        turn = engine.step(state, Text(text))
        opened = {event.split(":", 1)[1] for event in turn.events if event.startswith(("menu:", "content:"))}
        assert not (wrong and wrong in opened), f"{text!r} opened {wrong}"
        if state.lang:
            assert turn.state.lang == locale, f"{text!r} switched a chosen {locale} conversation to {turn.state.lang}"


FIRST_TEXTS = [  # (a first text, its language, the topic it must open): the language is read from the words
    ("chemo side effects", "en", "treatment.chemo"),  # the named topic wins, in English
    ("radiation side effects?", "en", "treatment.local"),
    ("shu ya3ni chemo", "ar", "treatment.chemo"),  # Arabizi: digits inside the words
    ("MRI bhaneko ke ho", "ne", "tests.mri"),  # romanised Nepali: "ke ho" is a Nepali pair
    ("o q e quimioterapia", "pt_BR", "treatment.chemo"),  # texting shorthand
    ("quais os efeitos colaterais da radioterapia", "pt_BR", "treatment.local"),
    ("IRM شو هي", "ar", "tests.mri"),  # a French test's name in an Arabic sentence: the script decides
    ("scanner شو هو", "ar", "tests.ct"),
    ("ya3ni eh metastase? howa nafs el cancer wala wa7ed tany?", "ar", "about.what"),  # Arabizi around French
    # Words only another catalog has (checked: without the rule these opened the page in French or Spanish).
    ("ponction شو هي", "ar", "tests.fluid"),
    ("radiotherapie شو هي", "ar", "treatment.local"),
    ("ya3ni eh ponction? howa wa7ed", "ar", "tests.fluid"),
    ("что такое quimioterapia", "ru", "treatment.chemo"),
]


@pytest.mark.parametrize("text, locale, topic", FIRST_TEXTS)
def test_a_first_text_full_of_english_medical_words_is_read_in_its_own_language(line_app, text, locale, topic):
    assert answer(line_app, locale, text, warm=False)[:2] == (locale, topic)


@pytest.mark.parametrize("text, locale", [
    ("яка сьогодні погода у вашому місті", "ru"),  # Ukrainian, the weather: nothing found, but Cyrillic
    ("tôi muốn hỏi về cái này được không", "vi"),  # tone marks on most of its words
])
def test_a_long_first_text_nothing_matches_is_answered_in_its_scripts_language(line_app, text, locale):
    assert answer(line_app, locale, text, warm=False)[:2] == (locale, "")


def main() -> None:  # pragma: no cover - a report for the README
    import os

    app = build_app(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15"))
    print("| language | first text | language chosen |\n|---|---|---|")
    for locale in LOCALES:
        cold, _ = rate(app, locale, False)
        warm, _ = rate(app, locale, True)
        print(f"| {locale} | {cold:.0%} | {warm:.0%} |")


if __name__ == "__main__":
    main()
