"""The phone menu: voices, returning callers, text-me, limits, retries and transfer."""
from __future__ import annotations

import pytest

from ivr import create_app
from tests.conftest import PUBLIC_URL, TEST_TOKEN
from tests.phone import Caller, Texter
from tests.twilio_http import RecordingHttpClient


@pytest.fixture
def caller(client, phone_number) -> Caller:
    return Caller(client, phone_number, TEST_TOKEN, PUBLIC_URL)


def drain(app) -> None:
    app.extensions["infoline"].outbox.drain()


def test_each_language_option_is_spoken_in_its_own_voice(caller):
    heard = caller.dial()
    assert ("Polly.Joanna", "en-US", "For English, press 1.") in heard.sayings
    assert ("Polly.Lupe", "es-US", "Para español, oprima 2.") in heard.sayings
    assert heard.gather["input"] == "dtmf speech"
    assert heard.gather["finishOnKey"] == ""
    assert heard.redirect == "/voice/silence"


def test_gather_listens_in_the_callers_language_with_menu_hints(caller):
    caller.dial()
    heard = caller.press("2")
    assert heard.gather["language"] == "es-US"
    assert "síntomas" in heard.gather["hints"]
    assert all(voice == "Polly.Lupe" for voice, _, _ in heard.sayings)
    assert '<break time="400ms" />' in heard.xml and 'rate="90%"' in heard.xml


def test_a_returning_caller_is_greeted_in_their_language(client, phone_number):
    first = Caller(client, phone_number, TEST_TOKEN, PUBLIC_URL)
    first.dial()
    first.press("2")
    again = Caller(client, phone_number, TEST_TOKEN, PUBLIC_URL)
    heard = again.dial()
    assert "Le damos otra vez la bienvenida a Infoline." in heard.text
    assert "numeral para cambiar el idioma" in heard.text
    assert "For English, press 1." not in heard.text
    languages = again.press("#")
    assert "For English, press 1." in languages.text
    assert "Gracias" not in again.press("1").text and "For Symptoms, press 2." in again.last.text


def test_a_texter_who_calls_is_greeted_in_the_language_they_texted_in(client, phone_number):
    Texter(client, phone_number, TEST_TOKEN, PUBLIC_URL).send("SINTOMAS")
    heard = Caller(client, phone_number, TEST_TOKEN, PUBLIC_URL).dial()
    assert "Le damos otra vez la bienvenida" in heard.text


def test_press_8_texts_the_topic_through_twilios_rest_api(app, caller, twilio_http):
    caller.dial()
    caller.press("1")
    caller.press("2")
    caller.press("2")
    heard = caller.press("8")
    assert "I am sending this to your phone as a text message." in heard.text
    assert heard.gather is not None  # the call goes on
    drain(app)
    fetches = [r for r in twilio_http.requests if r.method == "GET"]
    assert fetches and fetches[0].url.endswith(f"/Calls/{caller.call_sid}.json")
    messages = twilio_http.messages
    assert len(messages) == 1
    assert messages[0].data["To"] == twilio_http.caller
    assert messages[0].data["From"] == twilio_http.line
    assert "broken bones (fractures)" in messages[0].data["Body"]


def test_saying_text_me_works_like_pressing_8(app, caller, twilio_http):
    caller.dial()
    caller.press("1")
    caller.say("chemo")
    assert "I am sending this" in caller.say("text me").text
    drain(app)
    assert "kill cancer cells" in twilio_http.messages[0].data["Body"]


REFUSED = "Sorry, I cannot send a text message right now."
OFFER = "To get this as a text message, press 8."


def test_texts_are_limited_per_number_per_day(app, caller, twilio_http):
    caller.dial()
    outcomes = []
    for topic in ("liver", "bone", "brain", "chemotherapy"):
        caller.say(topic)
        outcomes.append(caller.press("8").text)
    assert all("I am sending this" in text for text in outcomes[:3])
    assert REFUSED in outcomes[3]
    drain(app)
    assert len(twilio_http.messages) == 3


def test_once_the_days_limit_is_reached_the_call_stops_offering_8(app, caller, twilio_http):
    caller.dial()
    for topic in ("liver", "bone", "brain"):
        caller.say(topic)
        assert "I am sending this" in caller.press("8").text
    caller.say("chemotherapy")
    assert OFFER in caller.last.text  # the limit is not known until the line tries
    refused = caller.press("8")
    assert REFUSED in refused.text and OFFER not in refused.text
    assert "To go back, press star. For the main menu, press 0." in refused.text
    caller.say("lung")
    assert "breath" in caller.last.text.lower() and OFFER not in caller.last.text
    assert OFFER not in caller.press("9").text


def test_a_topic_is_texted_once_per_call_however_often_8_is_pressed(app, caller, twilio_http):
    caller.dial()
    caller.say("liver")
    assert "I am sending this" in caller.press("8").text
    assert REFUSED in caller.press("8").text
    drain(app)
    assert len(twilio_http.messages) == 1


def test_no_text_to_a_phone_that_opted_out(app, client, phone_number, twilio_http):
    Texter(client, phone_number, TEST_TOKEN, PUBLIC_URL).send("STOP")
    caller = Caller(client, phone_number, TEST_TOKEN, PUBLIC_URL)
    caller.dial()
    caller.say("bone")
    assert REFUSED in caller.press("8").text  # the same sentence as any refusal: nothing to learn from it
    drain(app)
    assert twilio_http.messages == []


def test_no_text_to_an_anonymous_caller_and_no_shared_memory(app, client, twilio_http):
    hidden = Caller(client, "anonymous", TEST_TOKEN, PUBLIC_URL)
    hidden.dial()
    hidden.press("2")
    hidden.say("bone")
    assert "ahora no puedo enviar un mensaje de texto" in hidden.press("8").text  # the one refusal, in Spanish
    other = Caller(client, "anonymous", TEST_TOKEN, PUBLIC_URL)
    assert "For English, press 1." in other.dial().text  # not greeted as the first anonymous caller
    drain(app)
    assert twilio_http.messages == []


def test_a_failed_send_is_retried(settings, caller_number="+14125550777"):
    http = RecordingHttpClient(fail_times=1)
    app = create_app(settings, environ={}, twilio_http_client=http)
    app.extensions["infoline"].outbox.delays = (0.0, 0.0, 0.0)
    caller = Caller(app.test_client(), caller_number, TEST_TOKEN, PUBLIC_URL)
    caller.dial()
    caller.press("1")
    caller.say("biopsy")
    caller.press("8")
    drain(app)
    assert len(http.messages) == 2  # one failure, then the retry that worked


def test_a_request_that_comes_twice_is_answered_the_same_and_sends_once(app, caller, twilio_http):
    caller.dial()
    caller.press("1")
    caller.say("mri")
    token = {"I-Twilio-Idempotency-Token": "retry-8"}
    first = caller.press("8", headers=token)
    caller.last = first
    second = caller.press("8", headers=token)
    assert first.text == second.text
    drain(app)
    assert len(twilio_http.messages) == 1


def test_a_call_that_ends_mid_menu_leaves_nothing_broken(client, phone_number):
    abandoned = Caller(client, phone_number, TEST_TOKEN, PUBLIC_URL)
    abandoned.dial()
    abandoned.press("1")
    abandoned.press("2")  # then the caller hangs up: no more requests for this call
    heard = Caller(client, phone_number, TEST_TOKEN, PUBLIC_URL).dial()
    assert "Welcome back" in heard.text and "For Symptoms, press 2." in heard.text


def test_an_unknown_call_input_after_expiry_starts_from_the_top(caller):
    caller.dial()
    caller.last.gather["action"] = "/voice/input"
    caller.call_sid = "CA" + "f" * 32  # a call the line has never seen
    heard = caller.press("3")
    assert heard.status == 200 and heard.gather is not None


def test_unsigned_voice_requests_are_forbidden(client):
    assert client.post("/voice", data={"CallSid": "CA1", "From": "+14125550100"}).status_code == 403


def test_transfer_to_a_person_when_configured(settings, twilio_http, phone_number):
    app = create_app({**settings, "transfer_number": "+14125550100"}, environ={}, twilio_http_client=twilio_http)
    caller = Caller(app.test_client(), phone_number, TEST_TOKEN, PUBLIC_URL)
    caller.dial()
    menu = caller.press("1")
    assert "To speak with a person, press 6." in menu.text
    heard = caller.press("6")
    assert heard.dial == "+14125550100"
    assert "Please hold" in heard.text
    nobody = caller._post("/voice/after-dial", {"DialCallStatus": "no-answer"})
    assert "nobody could answer" in nobody.text
    assert "For Symptoms, press 2." in nobody.text and nobody.gather is not None


def test_recorded_audio_is_played_instead_of_synthesis(settings, twilio_http, phone_number, tmp_path, monkeypatch):
    app = create_app(settings, environ={}, twilio_http_client=twilio_http)
    renderer = app.extensions["infoline"].voice_renderer
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "keys.mp3").write_bytes(b"ID3 test")
    monkeypatch.setattr(renderer, "audio_dir", tmp_path)
    caller = Caller(app.test_client(), phone_number, TEST_TOKEN, PUBLIC_URL)
    caller.dial()
    heard = caller.press("1")
    assert heard.plays == ["/audio/en/keys.mp3"]
    assert "press 9 to repeat" not in heard.text
    assert app.test_client().get("/audio/en/keys.mp3").data == b"ID3 test"
    assert app.test_client().get("/audio/en/..%2Fsecret.mp3").status_code == 404


def test_long_speech_is_split_within_the_voice_limit(app):
    from twilio.twiml.voice_response import VoiceResponse

    from ivr.web.channels.voice import add_speech
    from ivr.render.voice import Speech

    response = VoiceResponse()
    add_speech(response, app.extensions["infoline"], Speech("en", tuple(["A sentence of some length."] * 300)))
    says = str(response).split("<Say ")[1:]
    assert len(says) > 1
    assert all(len(say) <= 3000 for say in says)


def test_production_queue_holds_no_phone_number_and_a_worker_sends(settings, twilio_http, redis_client, monkeypatch):
    """RQ on the same Redis: the job names the call, the topic and the language, nothing else."""
    from rq import Queue, SimpleWorker

    import ivr.texting as texting

    app = create_app({**settings, "outbox": "rq"}, environ={}, twilio_http_client=twilio_http)
    caller = Caller(app.test_client(), "+14125550999", TEST_TOKEN, PUBLIC_URL)
    caller.dial()
    caller.press("1")
    caller.say("bone")
    assert "I am sending this" in caller.press("8").text
    for key in redis_client.keys("*"):
        dump = redis_client.dump(key) or b""
        assert b"4125550999" not in dump, key
        assert b"broken bones" not in dump, key
    from ivr import worker

    monkeypatch.setattr(worker, "_worker_sender", app.extensions["infoline"].text_sender)
    queue = Queue(texting.QUEUE_NAME, connection=app.extensions["infoline"].outbox.queue.connection)
    SimpleWorker([queue], connection=queue.connection).work(burst=True)
    assert len(twilio_http.messages) == 1
    assert "broken bones (fractures)" in twilio_http.messages[0].data["Body"]


def test_a_crash_inside_the_line_is_a_spoken_apology_not_an_error(app, caller, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(app.extensions["infoline"].voice_engine, "step", broken)
    heard = caller.dial()
    assert heard.status == 200 and "something went wrong" in heard.text and heard.hangup


def test_a_topic_by_text_sends_its_first_page_and_more_follows_by_sms(app, client, twilio_http):
    caller = Caller(client, twilio_http.caller, TEST_TOKEN, PUBLIC_URL)
    caller.dial()
    caller.press("2")  # Spanish
    caller.say("huesos")
    caller.press("8")
    drain(app)
    assert len(twilio_http.messages) == 1
    first = twilio_http.messages[0].data["Body"]
    assert "huesos rotos (fracturas)" in first and "(1/2)" in first
    more = Texter(client, twilio_http.caller, TEST_TOKEN, PUBLIC_URL).send("MAS")
    assert "hinchazón" in more.text  # the texter's place was set on that topic


def test_a_text_is_not_sent_if_the_phone_opted_out_while_it_waited(settings, redis_url):
    from ivr.texting import TextJob

    http = RecordingHttpClient()
    app = create_app({**settings, "outbox": "thread"}, environ={}, twilio_http_client=http)
    line = app.extensions["infoline"]
    Texter(app.test_client(), http.caller, TEST_TOKEN, PUBLIC_URL).send("STOP")
    line.text_sender.send(TextJob("CA" + "1" * 32, "symptoms.bone", "en"))
    assert http.messages == []


@pytest.mark.parametrize("words", ["two", "number two", "2"])
def test_a_caller_may_say_the_number_of_an_option(caller, words):
    caller.dial()
    caller.press("1")  # English
    assert "Symptoms depend on where" in caller.say(words).text


def test_number_words_in_the_callers_language(client, phone_number):
    caller = Caller(client, phone_number, TEST_TOKEN, PUBLIC_URL)
    caller.dial()
    caller.press("2")  # Español
    assert "Los síntomas dependen" in caller.say("dos").text


def test_once_a_topic_is_texted_the_call_stops_offering_8_for_it(app, caller):
    caller.dial()
    caller.press("1")
    caller.say("liver")
    assert "To get this as a text message, press 8." in caller.last.text
    sent = caller.press("8")
    assert "I am sending this" in sent.text
    assert "To get this as a text message, press 8." not in sent.text
    assert "To get this as a text message, press 8." not in caller.press("9").text
    drain(app)
