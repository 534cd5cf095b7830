"""Golden engine transcripts, in the manner of goflow's runner tests.

Each file in tests/golden/*.yaml is a conversation: the inputs (`send` a text,
`press` a key, `say` words, `silence`, `dial`) and, for every step, exactly
what the patient gets (each SMS, or each sentence spoken with its language)
and the state the line stores afterwards. The runner plays the inputs
through the pure engine and renderers on fixed content (tests/golden/content)
in milliseconds, no Flask, Redis or Twilio, and compares everything.

After a deliberate change, rewrite the files and read the diff of what
patients see:  make test PYTEST_ARGS="tests/test_golden.py --update-golden"
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import yaml

from ivr.config import load_settings
from ivr.content import load_content
from ivr.engine import (CallStarted, Input, Key, Kind, Media, OptOutRecorded, Screen, Silence, State, Text,
                        TextOutcome, Turn)
from ivr.render.card import card_html
from ivr.render.voice import Speech
from ivr.line import _UNDERSTANDING, Conversation
from ivr.state.sessions import stored

HERE = Path(__file__).parent / "golden"
FILES = sorted(HERE.glob("*.yaml"))
STEPS = ("new_phone", "send", "say", "press", "silence", "dial", "picture", "twilio_answered", "host_texts")


_BUILT: dict[tuple, Conversation] = {}


def copy_fixture(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the fixture line's content and catalogs, for a test to change one thing in."""
    content_dir, translations_dir = tmp_path / "content", tmp_path / "translations"
    shutil.copytree(HERE / "content", content_dir)
    shutil.copytree(HERE / "translations", translations_dir)
    return content_dir, translations_dir


def conversation(locales: tuple[str, ...] = ("en",), overrides: tuple = ()) -> Conversation:
    """The fixture line, built afresh in each process: a mutation run forks one process per mutant, and
    a mutant in the code that builds the line must be built to be tested (it takes milliseconds)."""
    key = (os.getpid(), locales, overrides)
    if key not in _BUILT:
        _UNDERSTANDING.clear()
        settings = load_settings({}, {"mode": "local", "auth_token": "t", "hash_secret": "s" * 16,
                                      "locales": ",".join(locales), "org_name": "Infoline",
                                      "org_phone": "+1 412 555 0100",
                                      "sms_max_segments": 1,  # one segment a message: the pager at work
                                      **dict(overrides)})
        content = load_content(HERE / "content")
        _BUILT[key] = Conversation.build(settings, content, list(locales), HERE / "content", HERE / "translations")
    return _BUILT[key]


def event_of(step: dict) -> Input:
    if "send" in step:
        return Text(str(step["send"]))
    if "say" in step:
        return Text(str(step["say"]))
    if "press" in step:
        return Key(str(step["press"]))
    if "silence" in step:
        return Silence()
    if "dial" in step:
        return CallStarted()
    if "picture" in step:
        return Media()
    if "twilio_answered" in step:
        return OptOutRecorded(str(step["twilio_answered"]))  # Twilio's Advanced Opt-Out: OptOutType
    raise ValueError(f"a step needs send, say, press, silence, dial, picture or twilio_answered: {step}")


def heard(speech: Speech, sentence: str) -> str:
    """One spoken sentence: its voice's language, slowly or not, and the recording that may replace it."""
    return f"{speech.lang}{' (slow)' if speech.slow else ''}{f' [{speech.prompt_id}]' if speech.prompt_id else ''}: " \
        f"{sentence}"


def outcome(conv: Conversation, turn: Turn, voice: bool) -> dict:
    """Everything a step produces that a patient or the reports could notice."""
    if voice:
        reply = [heard(speech, sentence) for speech in conv.voice_renderer.render(turn.screens)
                 for sentence in speech.sentences]
    else:
        reply = [str(message) for message in conv.sms_renderer.render(turn.screens)]
    out: dict = {"reply": reply, "state": stored(turn.state)}
    if turn.events:
        out["events"] = list(turn.events)
    for flag in ("hangup", "transfer"):
        if getattr(turn, flag):
            out[flag] = True
    if turn.text_request:
        out["text_request"] = turn.text_request
    return out


def play(script: dict) -> list[dict]:
    """`locales` and `settings` in a script's header build the line it needs (the languages offered,
    a setting changed); a call may be set up without `transfer` or `text_me`."""
    voice = script.get("channel") == "voice"
    conv = conversation(tuple(script.get("locales", ["en"])), tuple(sorted(script.get("settings", {}).items())))
    engine = conv.voice_engine(transfer=script.get("transfer", True), text_me=script.get("text_me", True)) \
        if voice else conv.sms_engine
    state, steps = State(), []
    for step in script["steps"]:
        if step.get("new_phone"):  # the same script, another phone: nothing carries over
            state = State()
        if "dial" in step:  # a new call: only the phone's profile carries over, as the store keeps it
            state = State(lang=state.lang, opted_out=state.opted_out, chosen=state.chosen)
        turn = engine.step(state, event_of(step))
        if turn.text_request:  # press 8: the host queues the text, or refuses (`host_texts: limit`)
            host = TextOutcome(step.get("host_texts", "sent"))
            turn = engine.texted(turn, host, conv.sms_engine.page_count(turn.text_request, turn.state.lang))
        state = turn.state
        inputs = {key: step[key] for key in STEPS if key in step}
        steps.append({**inputs, **outcome(conv, turn, voice)})
    return steps


class _Dumper(yaml.SafeDumper):
    """Messages of several lines as YAML blocks, so a diff reads like the phone's screen."""


def _text(dumper: yaml.SafeDumper, text: str) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(text), style="|" if "\n" in text else None)


_Dumper.add_representer(str, _text)
_Dumper.add_multi_representer(str, _text)  # the catalogs' strings are a subclass of str


@pytest.mark.parametrize("path", FILES, ids=[path.stem for path in FILES])
def test_every_message_and_the_stored_state_after_every_step(path, request):
    script = yaml.safe_load(path.read_text(encoding="utf-8"))
    played = play(script)
    if request.config.getoption("--update-golden"):
        header = "".join(line + "\n" for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("#"))
        setup = {key: script[key] for key in ("locales", "settings", "transfer", "text_me") if key in script}
        body = yaml.dump({"channel": script.get("channel", "sms"), **setup, "steps": played}, Dumper=_Dumper,
                         allow_unicode=True, sort_keys=False, width=120)
        path.write_text(header + body, encoding="utf-8")
        return
    for number, (want, got) in enumerate(zip(script["steps"], played), start=1):
        assert got == want, f"{path.name}, step {number}: what patients get has changed (--update-golden if meant)"
    assert len(played) == len(script["steps"])


# -- what each renderer says outside a conversation's steps ------------------------------------------
RENDERED = HERE / "rendered"
FIXTURE_LOCALES = ("en", "es", "ar", "zh_Hans", "ht")  # ht: no voice, texts only
BOTH = (Kind.NOTICE, Kind.HELP, Kind.SOURCE, Kind.NOT_UNDERSTOOD, Kind.CALL_US, Kind.CRISIS, Kind.EMERGENCY,
        Kind.PERSON, Kind.LANGUAGE_SET)
TEXTED = (*BOTH, Kind.EMPTY, Kind.OPTED_OUT, Kind.OPTED_IN, Kind.OPT_OUT_UNSAVED, Kind.END_OF_TOPIC)
SPOKEN = (*BOTH, Kind.WELCOME, Kind.WELCOME_BACK, Kind.REPROMPT, Kind.GOODBYE, Kind.KEYS, Kind.TRANSFER)


TOGETHER = (Kind.EMERGENCY, Kind.NOTICE, Kind.NOT_UNDERSTOOD, Kind.CALL_US, Kind.HELP)
LONG = {  # what the pager does with sentences too long for one message, with and without spaces
    "en": "Word " * 30 + "and a " + "verylongwordwithoutanyspaceinit" * 6 + ". The end.",
    "es": "Quimioterapia: medicinas que viajan en la sangre para matar las células del cáncer. " * 4,
    "ar": "العلاج الكيميائي أدوية تنتقل في الدم لتقتل الخلايا السرطانية في كل الجسم. " * 3,
    "zh_Hans": "化疗是通过血液到达全身、杀死癌细胞的药物。" * 12 + "没有标点的一长串文字" * 10,
    "ht": "Chimyoterapi se medikaman ki vwayaje nan san an pou touye selil kansè yo. " * 4,
}


def renderings(locale: str) -> dict:
    """Each screen that needs no conversation, as texted (three segments a message; Spanish spelled plain,
    as IVR_SMS_PLAIN_LOCALES asks) and as spoken; the speech hints of each menu; what a caller hears when a transfer fails."""
    conv = conversation(FIXTURE_LOCALES, (("sms_max_segments", 3), ("sms_plain_locales", "es")))
    content = conv.translations.content
    voice = conv.voice_renderer
    return {
        "texted": {kind.value: conv.sms_renderer.render((Screen(kind, locale),)) for kind in TEXTED},
        "texted together": conv.sms_renderer.render(tuple(Screen(kind, locale) for kind in TOGETHER)),
        "a long text in pages": conv.sms_renderer.paginate(LONG[locale], locale),
        "spoken": {kind.value: [heard(speech, sentence) for speech in voice.render((Screen(kind, locale),))
                                for sentence in speech.sentences]
                   for kind in SPOKEN},
        "speech hints": {node.id: voice.hints(locale, list(node.children)) for node in content.nodes.values()
                         if node.is_menu},
        "transfer failed": list(voice.after_dial_failed(locale).sentences),
        "a topic as texted after press 8": [conv.sms_renderer.sent(page, locale) for page in conv.sms_renderer.paginate(
            conv.translations[locale].body(content.nodes["about.spread"]), locale)],
        "recordings": {prompt or "(no prompt)": (lambda path: path.name if path else None)(voice.recording(locale, prompt))
                       for prompt in ("welcome", "keys", "")},
    }


@pytest.mark.parametrize("locale", FIXTURE_LOCALES)
def test_every_screen_alone_the_speech_hints_and_the_clinic_card(locale, request):
    conv = conversation(FIXTURE_LOCALES)
    card = card_html(conv.translations.content, conv.translations[locale], "+1 412 555 0199", "Infoline",
                     conv.sms_renderer.organisation)
    got = yaml.dump(renderings(locale), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=120)
    screens, card_path = RENDERED / f"{locale}.yaml", RENDERED / f"card-{locale}.html"
    if request.config.getoption("--update-golden"):
        RENDERED.mkdir(exist_ok=True)
        screens.write_text(got, encoding="utf-8")
        card_path.write_text(card, encoding="utf-8")
        return
    assert got == screens.read_text(encoding="utf-8"), f"{screens.name} has changed (--update-golden if meant)"
    assert card == card_path.read_text(encoding="utf-8"), f"{card_path.name} has changed (--update-golden if meant)"
