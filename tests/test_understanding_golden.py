"""Golden understanding: what the line makes of every phrase the independent sets hold.

For each phrase of tests/phrases (every set, every section) the file
tests/golden/understanding/<locale>.yaml records, on the real catalogs and
safety lists, what a brand-new phone gets (the language it is answered in
and what happened: crisis, emergency, a person, a topic, a menu, not
understood, an opt-out) and what a phone that chose the language gets. It
runs on the pure engine, no Flask or Redis, in about a second.

The behaviour tests (test_safety_phrases.py, test_understanding.py) say what
must happen; this file shows what any change to the matching, the language
guess, the keywords or the safety lists does to the meaning of thousands of
real messages, as a diff. After a deliberate change (a keyword or a safety
phrase added), rewrite and read it:
    make test PYTEST_ARGS="tests/test_understanding_golden.py --update-golden"
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest
import yaml

from ivr.config import load_settings
from ivr.content import CONTENT_DIR, load_content
from ivr.engine import Engine, Key, State, Text, Turn
from ivr.i18n import TRANSLATIONS_DIR
from ivr.line import Conversation, offered_locales
from tests.phrase_sets import LOCALES, SETS, SPOKEN

GOLDEN = Path(__file__).parent / "golden" / "understanding"
SECTIONS = ("crisis", "emergency", "person", "guards", "everyday", "questions")


@lru_cache(maxsize=None)
def conversation() -> Conversation:
    settings = load_settings({}, {"mode": "local", "auth_token": "t", "hash_secret": "s" * 16,
                                  "locales": ",".join(LOCALES), "org_phone": "+1 412 555 0100"})
    content = load_content(CONTENT_DIR)
    return Conversation.build(settings, content, offered_locales(settings, content, TRANSLATIONS_DIR))


@lru_cache(maxsize=None)
def voice() -> Engine:
    return conversation().voice_engine(transfer=False, text_me=False)


def texts(locale: str) -> dict[str, list[str]]:
    """Every phrase of every set of one language, by section, in the sets' order, once each."""
    out: dict[str, list[str]] = {}
    for folder in SETS:
        data = yaml.safe_load((folder / f"{locale}.yaml").read_text(encoding="utf-8"))
        for section in SECTIONS:
            for item in data.get(section, []):
                text = str(item["text"] if isinstance(item, dict) else item)
                if text not in out.setdefault(section, []):
                    out[section].append(text)
    return out


def meaning(turn: Turn) -> str:
    """What a patient would notice: what happened (the turn's events), an opt-out, a transfer, silence."""
    words = list(turn.events)
    words += ["opted-out"] if turn.state.opted_out else []
    words += ["transfer"] if turn.transfer else []
    words += [] if turn.screens else ["(no reply)"]
    return " ".join(words)


def understood(locale: str, text: str) -> str:
    engine = conversation().sms_engine
    cold = engine.step(State(), Text(text))
    warm = engine.step(State(lang=locale, chosen=True), Text(text))
    answer = f"cold {cold.state.lang}: {meaning(cold)} | chosen: {meaning(warm)}"
    if warm.state.lang != locale:
        answer += f" (now {warm.state.lang})"
    if locale in SPOKEN:
        # A caller who chose the language says it at the main menu.
        at_menu = voice().step(State(lang=locale, chosen=True), Key("0")).state
        spoken = voice().step(at_menu, Text(text))
        answer += f" | said: {meaning(spoken)}"
    return answer


def table(locale: str) -> dict[str, dict[str, str]]:
    return {section: {text: understood(locale, text) for text in items} for section, items in texts(locale).items()}


@pytest.mark.parametrize("locale", LOCALES)
def test_what_every_phrase_of_the_independent_sets_is_understood_as(locale, request):
    path = GOLDEN / f"{locale}.yaml"
    got = table(locale)
    if request.config.getoption("--update-golden"):
        GOLDEN.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.dump(got, allow_unicode=True, sort_keys=False, width=200), encoding="utf-8")
        return
    want = yaml.safe_load(path.read_text(encoding="utf-8"))
    changed = [f"  {section}: {text!r}\n    was: {want.get(section, {}).get(text)}\n    now: {answer}"
               for section, answers in got.items() for text, answer in answers.items()
               if want.get(section, {}).get(text) != answer]
    assert not changed and got.keys() == want.keys(), \
        f"{locale}: {len(changed)} phrases understood differently (--update-golden if meant):\n" + "\n".join(changed[:40])
