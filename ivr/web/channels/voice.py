"""POST /voice and its follow-ups: Twilio's voice webhooks, answered with TwiML.

Every prompt that expects an answer is a <Gather> (keys and speech, in the
caller's language) followed by a <Redirect> to /voice/silence, so silence is
just another input and there is never dead air. A call's place is kept per
CallSid; the language per caller, shared with SMS.
"""
from __future__ import annotations

import logging
import re

from flask import Blueprint, Response, abort, current_app, request, send_file
from twilio.twiml.voice_response import Gather, Say, VoiceResponse

from ivr.web.channels.observe import log_webhook
from ivr.state.conversation import take_turn
from ivr.engine import CallStarted, Input, Key, Silence, Text, Turn
from ivr.line import Line
from ivr.web.security import SIMULATOR_FLAG, twilio_only
from ivr.texting import TextJob, can_receive_sms
from ivr.render.voice import Speech
from ivr.render.voices import Voice, voice_for

log = logging.getLogger(__name__)
bp = Blueprint("voice", __name__)

KEYS = "0123456789*#"  # what a phone keypad sends; "²" or "١" is not a key
GATHER_TIMEOUT = 6  # seconds of silence after the prompt before /voice/silence
SPEECH_PAUSE = 2  # seconds of pause that end an answer ("auto" is refused with some speech models)
BREAK = "400ms"
SLOW_RATE = "75%"  # crisis, emergency and "a person" replies
DIGIT_RUN = re.compile(r"\d{2,}")
INPUT_URL, SILENCE_URL, AFTER_DIAL_URL = "/voice/input", "/voice/silence", "/voice/after-dial"
STATUS_URL = "/voice/status"  # set as the number's "Call status changes" webhook


ATTESTED = "TN-Validation-Passed-A"  # SHAKEN/STIR full attestation: the carrier vouches for the number


def caller_verified(form, settings) -> bool:
    """Whether the caller ID may be taken as the caller's phone.

    Caller ID is not proof of identity. Only Twilio's StirVerstat with an
    A-level attestation recalls a profile. Where the call carries no verdict
    at all (countries without SHAKEN/STIR), IVR_CALLER_ID_WITHOUT_STIR decides.
    """
    verstat = str(form.get("StirVerstat", "")).strip()
    if verstat:
        return verstat == ATTESTED
    return settings.caller_id_without_stir == "trust"


def caller_identity(form, settings=None) -> str:
    """Whom to remember: the caller's number when verified, or only this call."""
    caller = str(form.get("From", "")).strip()
    verified = settings is None or caller_verified(form, settings)
    return caller if verified and can_receive_sms(caller) else f"call:{form.get('CallSid', '')}"


def gather_input(form) -> Input:
    digits = str(form.get("Digits", "")).strip()
    speech = str(form.get("SpeechResult", "")).strip()
    if digits:
        return Key(digits[:1]) if digits[:1] in KEYS else Key("?")
    if speech:
        return Text(speech)
    return Silence()


def spoken_voice(line: Line, lang: str) -> Voice:
    """The locale's voice, else the line's first spoken language's (a text-only default never crashes a call)."""
    for locale in (lang, line.settings.default_locale, *line.voice_engine.locales, "en"):
        voice = voice_for(locale)
        if voice is not None:
            return voice
    raise LookupError("no spoken language")  # pragma: no cover - English always has a voice


def add_speech(parent, line: Line, speech: Speech) -> None:
    """One Speech as <Play> (a recording exists) or <Say> with breaks, split to the voice's limit."""
    recording = line.voice_renderer.recording(speech.lang, speech.prompt_id)
    if recording is not None:
        parent.play(f"/audio/{speech.lang}/{recording.name}")
        return
    voice = spoken_voice(line, speech.lang)
    budget = voice.max_say_chars - 200  # room for the SSML tags
    chunks: list[list[str]] = [[]]
    size = 0
    for sentence in speech.sentences:
        if chunks[-1] and size + len(sentence) > budget:
            chunks.append([])
            size = 0
        chunks[-1].append(sentence[:budget])
        size += len(sentence) + 30
    for chunk in chunks:
        say = Say(voice=voice.say_voice, language=voice.say_language)
        prosody = say.prosody(rate=SLOW_RATE if speech.slow else voice.rate)
        for index, sentence in enumerate(chunk):
            if index:
                prosody.break_(time=BREAK)
            # Safety replies: numbers said digit by digit ("nine one one"), as people dial them.
            prosody.append(DIGIT_RUN.sub(lambda found: " ".join(found.group()), sentence) if speech.slow else sentence)
        parent.append(say)


def voice_twiml(line: Line, turn: Turn, preface: tuple[Speech, ...] = ()) -> Response:
    response = VoiceResponse()
    speeches = [*preface, *line.voice_renderer.render(turn.screens)]
    if turn.hangup:
        for speech in speeches:
            add_speech(response, line, speech)
        response.hangup()
    elif turn.transfer:
        for speech in speeches:
            add_speech(response, line, speech)
        dial = response.dial(timeout=line.settings.transfer_timeout, action=AFTER_DIAL_URL, method="POST")
        dial.number(line.settings.transfer_number)
    else:
        lang = turn.state.lang or line.settings.default_locale
        voice = spoken_voice(line, lang)
        gather = Gather(input="dtmf speech", num_digits=1, finish_on_key="", timeout=GATHER_TIMEOUT,
                        action=INPUT_URL, method="POST", language=voice.speech_language,
                        speech_timeout=SPEECH_PAUSE, hints=hints_for(line, turn))
        for speech in speeches:
            add_speech(gather, line, speech)
        response.append(gather)
        response.redirect(SILENCE_URL, method="POST")
    return Response(str(response), mimetype="text/xml")


def hints_for(line: Line, turn: Turn) -> str:
    menu = line.content.get(turn.state.menu)
    node_ids = list(menu.children) if menu else list(turn.state.choices)
    return line.voice_renderer.hints(turn.state.lang or line.settings.default_locale, node_ids)


def handle(event: Input, preface: tuple[Speech, ...] = ()) -> Response:
    line: Line = current_app.extensions["infoline"]
    form = request.form
    call_sid = form.get("CallSid", "")
    verified = caller_verified(form, line.settings)
    identity = caller_identity(form, line.settings)
    request_key = request.headers.get("I-Twilio-Idempotency-Token", "")
    caller = form.get("From", "")

    def send_text(turn: Turn, retry: bool) -> Turn:
        """Press 8: queue the text (or say why not); a refusal for the whole call stops offering 8."""
        if not turn.text_request:
            return turn
        simulated = form.get(SIMULATOR_FLAG) == "1"  # signed: only holders of the auth token can set it
        outcome = (line.text_me.outcome_of_retry(caller, turn.state.opted_out, attested=verified) if retry else
                   line.text_me.request(caller, TextJob(call_sid, turn.text_request, turn.state.lang),
                                        opted_out=turn.state.opted_out, attested=verified,
                                        deliver=(lambda job: line.simulated_texts.send(job, caller))
                                        if simulated else None))
        log.info("voice text-me outcome=%s", outcome.value)
        return line.voice_engine.texted(turn, outcome, line.sms_engine.page_count(turn.text_request, turn.state.lang))

    turn, saved, retry = take_turn(line.sessions, line.voice_engine, identity, event, request_key,
                                   call_sid=call_sid or None, channel="voice", then=send_text)
    log_webhook("voice", turn, saved, retry=retry)
    return voice_twiml(line, turn, preface)


@bp.post("/voice")
@twilio_only
def call_started() -> Response:
    return handle(CallStarted())


@bp.post(INPUT_URL)
@twilio_only
def gathered() -> Response:
    return handle(gather_input(request.form))


@bp.post(SILENCE_URL)
@twilio_only
def silence() -> Response:
    return handle(Silence())


@bp.post(AFTER_DIAL_URL)
@twilio_only
def after_dial() -> Response:
    """Back from <Dial>: if nobody answered, say so and offer the menu again."""
    line: Line = current_app.extensions["infoline"]
    if request.form.get("DialCallStatus") == "completed":
        response = VoiceResponse()
        response.hangup()
        return Response(str(response), mimetype="text/xml")
    saved = line.sessions.load(caller_identity(request.form, line.settings), request.form.get("CallSid") or None)
    lang = saved.state.lang or line.settings.default_locale
    return handle(Key("0"), preface=(line.voice_renderer.after_dial_failed(lang),))


@bp.post(STATUS_URL)
@twilio_only
def call_status() -> Response:
    """Twilio's call status callback: when a call completes, count the menu it ended on."""
    line: Line = current_app.extensions["infoline"]
    form = request.form
    if str(form.get("CallStatus", "")) == "completed" and line.sessions.reports is not None:
        # Only counted, never said to anyone: the caller's language may be read without attestation.
        saved = line.sessions.load(caller_identity(form), str(form.get("CallSid", "")) or None)
        if not saved.state.lang and caller_identity(form) != caller_identity(form, line.settings):
            saved = line.sessions.load(caller_identity(form, line.settings), str(form.get("CallSid", "")) or None)
        line.sessions.reports.record("voice", saved.state.lang, [f"hangup:{saved.state.node or saved.state.menu}"])
    return Response("", status=204)


@bp.get("/audio/<locale>/<name>")
def audio(locale: str, name: str):
    """Recorded prompts, fetched by Twilio for <Play>."""
    line: Line = current_app.extensions["infoline"]
    path = line.voice_renderer.audio_dir / locale / name
    if not name.endswith((".mp3", ".wav")) or "/" in locale or ".." in locale or not path.is_file():
        abort(404)
    return send_file(path)
