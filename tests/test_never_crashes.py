"""Whatever a patient sends, the engine answers: odd input, in every language, cold and warm, by text and call.

Every phrase of every independent set goes through the same engines in
test_understanding_golden.py (cold, chosen language, said on a call), so a
crash on any of them fails there; here, the input no set would hold.
"""
from __future__ import annotations

import pytest

from ivr import create_app
from ivr.engine import Key, State, Text
from tests.phrase_sets import LOCALES, phrase_set

ODD = ["", " ", "?", "¿¿", "😀😀", "\u200f", "0", "99", "1 2 3", "*", "#", "a" * 1600, "é" * 300, "<Say>hi</Say>",
       "%(org)s", "{}", "\x00", "ـــ", "・", "ㅋㅋㅋㅋ", "...", "-1", "² ³", "١٢", "STOP STOP", "or or or"]


@pytest.fixture(scope="module")
def engines():
    app = create_app({"mode": "local", "auth_token": "x", "hash_secret": "x" * 16}, environ={})
    line = app.extensions["infoline"]
    return line.sms_engine, line.voice_engine


@pytest.mark.parametrize("locale", LOCALES)
def test_every_message_gets_an_answer_without_an_error(engines, locale):
    texts = ODD + [text[:3] for text in (str(item) for item in phrase_set(locale)["everyday"])]  # cut words
    for engine in engines:
        for state in (State(), State(lang=locale if locale in engine.locales else "en", chosen=True)):
            for text in texts:
                turn = engine.step(state, Text(text))
                assert turn.state is not None
            assert engine.step(state, Key("²")).screens
