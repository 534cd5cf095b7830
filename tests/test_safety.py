"""Safety replies as a patient sees and hears them: wording, numbers, place kept, opt-out confirmations."""
from __future__ import annotations

import re

from ivr import create_app
from ivr.engine import Kind, Screen
from tests.conftest import PUBLIC_URL, TEST_TOKEN
from tests.phone import Caller, Texter


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def test_a_crisis_text_gets_both_numbers_and_the_conversation_keeps_its_place(texter):
    texter.send("SYMPTOMS")
    reply = texter.send("i dont want to live anymore")
    assert "988" in reply.text and "911" in reply.text and "+1 412 555 0100" in reply.text
    assert "32%" not in reply.text and "Symptoms" not in reply.text  # no topic content
    assert "broken bones (fractures)" in texter.send("2").text  # still in the symptoms menu


def test_an_emergency_starts_with_the_line_to_call_then_what_was_asked(texter):
    reply = texter.send("I can't breathe")
    first_line = reply.messages[0].split("\n")[0]
    assert first_line == "This may be an emergency. Call 911 now."


def test_the_very_first_text_may_be_a_crisis_in_any_language(client):
    for number, body, expected in (("+14125561001", "quiero morir", "No está sola"),
                                   ("+14125561002", "toi muon chet", "988")):
        reply = Texter(client, number, TEST_TOKEN, PUBLIC_URL).send(body)
        assert "988" in reply.text and expected in reply.text


def test_asking_for_a_person_gets_the_phone_and_hours_when_set(settings, phone_number):
    app = create_app({**settings, "org_hours": "Mon-Fri 9am-5pm"}, environ={})
    reply = Texter(app.test_client(), phone_number, TEST_TOKEN, PUBLIC_URL).send("can i talk to a nurse")
    assert "+1 412 555 0100" in reply.text and "Mon-Fri 9am-5pm" in reply.text


def test_two_misses_in_a_row_offer_the_organisations_phone(texter):
    assert "+1 412 555 0100" not in texter.send("qwerty zxcv").text.split("\n\n")[-1]
    assert "+1 412 555 0100" in texter.send("asdf ghjk").text


def test_changing_the_numbers_changes_every_place_they_appear(settings, phone_number):
    app = create_app({**settings, "emergency_number": "112", "crisis_line": ""}, environ={})
    texter = Texter(app.test_client(), phone_number, TEST_TOKEN, PUBLIC_URL)
    first = texter.send("MENU").text
    assert "call 112" in first and "911" not in first
    crisis = texter.send("I want to kill myself").text
    assert "112" in crisis and "988" not in crisis and "911" not in crisis
    assert texter.send("chest pain").messages[0].startswith("This may be an emergency. Call 112 now.")
    card = app.test_client().get("/card/en").get_data(as_text=True)
    assert "112" in card and "911" not in card
    caller = Caller(app.test_client(), "+14125562000", TEST_TOKEN, PUBLIC_URL)
    caller.dial()
    caller.press("1")
    heard = caller.say("I want to die")
    assert "112" in digits(heard.text) and "988" not in digits(heard.text)


def test_by_voice_a_crisis_is_spoken_slowly_then_back_to_the_menu(client, phone_number):
    caller = Caller(client, phone_number, TEST_TOKEN, PUBLIC_URL)
    caller.dial()
    caller.press("1")
    heard = caller.say("i want to end my life")
    assert 'rate="75%"' in heard.xml and "9 8 8" in heard.text
    assert heard.gather is not None and "For About it, press 1." in heard.text


def test_by_voice_a_crisis_is_transferred_when_a_person_can_answer(settings, phone_number):
    app = create_app({**settings, "transfer_number": "+14125550111"}, environ={})
    caller = Caller(app.test_client(), phone_number, TEST_TOKEN, PUBLIC_URL)
    caller.dial()
    caller.press("1")
    heard = caller.say("I'm going to kill myself")
    assert "9 8 8" in heard.text and heard.dial == "+14125550111"


def test_saying_operator_asks_for_a_person_never_surgery(client, phone_number):
    caller = Caller(client, phone_number, TEST_TOKEN, PUBLIC_URL)
    caller.dial()
    caller.press("1")
    heard = caller.say("operator")
    assert "Surgery" not in heard.text and "4 1 2 5 5 5 0 1 0 0" in heard.text


def test_an_own_language_stop_word_is_confirmed_and_start_brings_the_line_back(texter, client):
    reply = texter.send("DAR DE BAJA")
    assert "START" in reply.text  # how to come back, in Spanish
    assert texter.send("SINTOMAS").messages == []
    assert texter.send("START").messages  # Twilio answers START itself; the line adds the menu


def test_twilios_own_stop_word_gets_no_second_confirmation(texter):
    assert texter.send("STOP").messages == []


def test_everyday_words_never_opt_out(texter, client):
    line = client.application.extensions["infoline"]
    for word in ("Đúng", "dung", "ayoko na", "no", "sí", "PARAR", "ALTO", "ok", "yes"):
        texter.send(word)
        assert not line.sessions.load(texter.phone).state.opted_out, word


def test_idioms_and_calm_questions_get_their_normal_answer(texter, app):
    renderer = app.extensions["infoline"].sms_renderer
    crisis = renderer.screen_text(Screen(Kind.CRISIS, "en"))
    emergency = renderer.screen_text(Screen(Kind.EMERGENCY, "en"))
    for body in ("I'm dying to know my results", "my friend killed it at work", "skilled nursing",
                 "is shortness of breath a symptom?", "breathing exercises"):
        reply = texter.send(body).text
        assert crisis not in reply and emergency not in reply, body


def test_short_words_typed_wrong_still_reach_the_crisis_reply_but_real_words_never_do(texter, client):
    for body in ("gonna kil myslf tonite", "i wnat to die"):
        assert "988" in Texter(client, f"+1412556{len(body):04d}", TEST_TOKEN, PUBLIC_URL).send(body).text
    for body in ("can you fill me in on my results", "the nurse will call me back"):
        assert "988" not in texter.send(body).text
