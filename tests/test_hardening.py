"""The attacks found on the deployed line, each replayed: every one must now fail.

Caller ID is not proof of identity; text-me cannot be turned into an SMS
cannon; hostile bodies, loops, replays and odd keys get a calm answer or
none, never a 500; and a failure never leaks a phone number.
"""
from __future__ import annotations

import time
import uuid

import pytest

from ivr import create_app
from ivr.texting import TextSendFailed
from tests.conftest import PUBLIC_URL, TEST_TOKEN
from tests.phone import Caller, Texter, sign

REFUSED = "Sorry, I cannot send a text message right now."


def drain(app) -> None:
    app.extensions["infoline"].outbox.drain()


# -- caller ID ---------------------------------------------------------------------
def test_a_spoofed_caller_id_learns_nothing_of_the_patients_history(client, phone_number):
    patient = Texter(client, phone_number, TEST_TOKEN, PUBLIC_URL)
    patient.send("HOLA")
    patient.send("STOP")
    spoofer = Caller(client, phone_number, TEST_TOKEN, PUBLIC_URL, verstat="TN-Validation-Passed-C")
    heard = spoofer.dial()
    assert "For English, press 1." in heard.text  # a stranger's welcome, not "bienvenida otra vez"
    assert "bienvenida" not in heard.text.lower()
    spoofer.press("1")  # chooses English: must not change the patient's SMS language
    spoofer.say("bone")
    assert REFUSED in spoofer.press("8").text  # not "this phone has asked not to get texts"
    state = client.application.extensions["infoline"].sessions.load(phone_number).state
    assert state.lang == "es" and state.opted_out


def test_a_fully_attested_caller_is_recognised(client, phone_number):
    Texter(client, phone_number, TEST_TOKEN, PUBLIC_URL).send("HOLA")
    heard = Caller(client, phone_number, TEST_TOKEN, PUBLIC_URL).dial()  # TN-Validation-Passed-A
    assert "otra vez" in heard.text.lower()


@pytest.mark.parametrize("setting, recognised", [("new", False), ("trust", True)])
def test_without_any_attestation_the_operator_chooses(settings, phone_number, setting, recognised):
    app = create_app({**settings, "caller_id_without_stir": setting}, environ={})
    Texter(app.test_client(), phone_number, TEST_TOKEN, PUBLIC_URL).send("HOLA")
    heard = Caller(app.test_client(), phone_number, TEST_TOKEN, PUBLIC_URL, verstat="").dial()
    assert ("otra vez" in heard.text.lower()) is recognised


# -- text-me abuse ------------------------------------------------------------------
@pytest.mark.parametrize("number", ["+88216555012345", "+23276555123"])
def test_text_me_never_texts_outside_the_allowed_countries(app, client, twilio_http, number):
    caller = Caller(client, number, TEST_TOKEN, PUBLIC_URL)
    caller.dial()
    caller.press("1")
    caller.say("bone")
    assert REFUSED in caller.press("8").text
    drain(app)
    assert twilio_http.messages == []


def test_the_whole_line_has_a_daily_cap(settings, twilio_http):
    app = create_app({**settings, "texts_per_day_total": 2}, environ={}, twilio_http_client=twilio_http)
    app.extensions["infoline"].outbox.delays = (0.0,)
    heard = []
    for n in range(3):
        caller = Caller(app.test_client(), f"+1412557{n:04d}", TEST_TOKEN, PUBLIC_URL)
        caller.dial()
        caller.say("bone")
        heard.append(caller.press("8").text)
    assert ["I am sending this" in text for text in heard] == [True, True, False]


def test_a_failed_send_keeps_only_the_error_code(settings, monkeypatch):
    class Exploding:
        def send(self, job):
            from twilio.base.exceptions import TwilioRestException

            raise TwilioRestException(400, "uri", msg="The 'To' number +14125559876 is not valid", code=21211)

    from ivr import worker

    monkeypatch.setattr(worker, "_worker_sender", Exploding())
    with pytest.raises(TextSendFailed) as raised:
        worker.deliver_job("CA" + "1" * 32, "symptoms.bone", "en")
    assert "21211" in str(raised.value)
    assert "4125559876" not in str(raised.value)
    assert raised.value.__cause__ is None and raised.value.__suppress_context__


def test_texts_queued_under_the_old_job_name_are_still_sent(monkeypatch):
    """RQ finds a job's function by its dotted name: ivr.texting.deliver_job, queued by earlier releases."""
    import importlib

    from ivr import worker

    sent = []
    monkeypatch.setattr(worker, "_worker_sender", type("Recorder", (), {"send": lambda self, job: sent.append(job)})())
    module, _, name = "ivr.texting.deliver_job".rpartition(".")
    getattr(importlib.import_module(module), name)("CA" + "2" * 32, "symptoms.bone", "es")
    assert [(job.node_id, job.lang) for job in sent] == [("symptoms.bone", "es")]


# -- hostile requests ------------------------------------------------------------------
def test_a_huge_body_is_refused_before_parsing(client):
    started = time.perf_counter()
    response = client.post("/sms", data=b"a=1&" * 2_500_000, headers={"X-Twilio-Signature": "x",
                                                                    "Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 413
    assert time.perf_counter() - started < 1.0


def test_thousands_of_tiny_fields_are_refused(client):
    response = client.post("/sms", data=b"&".join(b"f%d=" % n for n in range(5000)),
                           headers={"X-Twilio-Signature": "x", "Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 413


def test_a_phone_gets_at_most_its_rate_of_answers(texter):
    answered = sum(1 for _ in range(30) if texter.send("MENU").messages)
    assert answered == 20


def test_over_its_rate_a_phone_still_gets_the_crisis_reply(texter):
    for _ in range(25):
        texter.send("MENU")
    assert "988" in texter.send("I want to end my life").text


def test_an_auto_responder_gets_a_few_replies_then_silence(texter):
    replies = [texter.send(f"Thank you for your message {n}, I am out of office").messages for n in range(10)]
    assert sum(1 for reply in replies if reply) == 4
    assert texter.send("MENU").messages  # a word the line knows: it speaks again


def test_an_auto_responder_hears_crisis_replies_even_when_quiet(texter):
    for n in range(6):
        texter.send(f"autoreply {n}")
    assert "988" in texter.send("i want to die").text


def test_short_codes_and_alphanumeric_senders_get_no_reply(client):
    for sender in ("72345", "INFO-BOT"):
        assert Texter(client, sender, TEST_TOKEN, PUBLIC_URL).send("MENU").messages == []


def test_a_replayed_old_start_does_not_undo_a_later_stop(texter, client, phone_number):
    texter.send("MENU", sid="SMold-start-0001")
    texter.send("START", sid="SMstart-0001")
    texter.send("STOP", sid="SMstop-0001")
    texter.send("START", sid="SMstart-0001")  # replayed: Twilio never sends a MessageSid twice but as a retry
    assert client.application.extensions["infoline"].sessions.load(phone_number).state.opted_out


def test_a_superscript_digit_is_not_a_key(caller_factory):
    caller = caller_factory()
    caller.dial()
    heard = caller._post(caller.last.gather["action"], {"Digits": "²"})
    assert heard.status == 200 and "That is not an option" in heard.text


def test_a_default_language_without_a_voice_never_breaks_a_call(settings, phone_number):
    app = create_app({**settings, "locales": "en,es,ne", "default_locale": "ne"}, environ={})
    caller = Caller(app.test_client(), phone_number, TEST_TOKEN, PUBLIC_URL)
    heard = caller.dial()
    assert heard.status == 200 and heard.gather is not None
    assert caller.press("1").status == 200


def test_simulator_password_guessing_is_throttled(settings):
    app = create_app({**settings, "simulator_password": "a-long-simulator-password"}, environ={})
    client = app.test_client()
    statuses = [client.get("/simulator", headers={"Authorization": "Basic d3Jvbmc6d3Jvbmc="}).status_code
                for _ in range(15)]
    assert statuses[:10] == [401] * 10 and 429 in statuses[10:]


def test_a_non_string_call_sid_is_a_clear_400(settings):
    app = create_app({**settings, "mode": "local"}, environ={})
    response = app.test_client().post("/simulator/api/call", json={"from": "+15555550100", "action": "dial",
                                                                   "call_sid": {"x": 1}})
    assert response.status_code == 400


@pytest.fixture
def caller_factory(client):
    return lambda: Caller(client, f"+1412558{uuid.uuid4().int % 10000:04d}", TEST_TOKEN, PUBLIC_URL)


def test_a_stop_that_cannot_be_recorded_is_not_silently_lost(settings, phone_number):
    app = create_app({**settings, "redis_url": "redis://127.0.0.1:1/0", "redis_timeout": 0.1}, environ={})
    reply = Texter(app.test_client(), phone_number, TEST_TOKEN, PUBLIC_URL).send("STOP")
    assert "could not record this" in reply.text
    health = app.test_client().get("/healthz").get_json()
    assert health["status"] == "degraded"


def test_signature_is_checked_against_the_configured_url_not_a_forwarded_host(client):
    params = {"From": "+14125550100", "Body": "MENU", "MessageSid": "SM" + "2" * 32}
    other = sign(TEST_TOKEN, "https://staging.example.net/sms", params)
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "staging.example.net"}
    assert client.post("/sms", data=params, headers={"X-Twilio-Signature": other, **forwarded}).status_code == 403
