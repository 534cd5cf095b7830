"""IVR_SMS_PLAIN_LOCALES: Spanish texts without the accents GSM-7 lacks, in fewer, cheaper pages.

One á in a message sends all of it as UCS-2 (67 characters a segment instead
of 153). With the setting, a Spanish texter gets the same words spelled in
GSM-7 (cancer, proteinas) but keeps é, ñ, ü, ¿ and ¡, which GSM-7 has; calls
keep every accent; `ivr check` tells the operator what it would save.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from ivr import create_app
from ivr.tools.checks import PROJECT_DIR
from ivr.config import ConfigError
from ivr.render.segments import count_segments, is_gsm7, plain_gsm7, plain_if_cheaper
from tests.conftest import PUBLIC_URL, TEST_TOKEN
from tests.phone import Caller, Texter

GSM7_LACKS = str.maketrans("áíóúÁÍÓÚ", "aiouAIOU")  # the Spanish accents GSM-7 has no letter for


def make_app(settings: dict, twilio_http, plain: str):
    app = create_app({**settings, "sms_plain_locales": plain}, environ={}, twilio_http_client=twilio_http)
    app.extensions["infoline"].outbox.delays = (0.0, 0.0, 0.0)
    return app


@pytest.fixture
def plain_app(settings, twilio_http):
    return make_app(settings, twilio_http, "es")


def read_topic(texter: Texter, keyword: str) -> list[str]:
    """Every message of a topic, asking MAS until the last page: what the texter's phone shows."""
    texter.send("HOLA")  # Spanish, and the first-contact notice out of the way
    messages = texter.send(keyword).messages
    while "responda MAS" in messages[-1]:
        assert len(messages) < 20, messages
        messages += texter.send("MAS").messages
    return messages


def body(messages: list[str]) -> str:
    """The topic's text as the pages carry it: each page without its footer line."""
    return "\n".join(message.rsplit("\n", 1)[0] for message in messages)


def catalog_text(app, node_id: str) -> str:
    line = app.extensions["infoline"]
    return line.translations["es"].body(line.content.get(node_id))


def test_hormone_therapy_comes_in_fewer_pages_all_gsm7_and_keeps_the_letters_gsm7_has(
        settings, twilio_http, plain_app, phone_number):
    as_written = read_topic(Texter(make_app(settings, twilio_http, "").test_client(), phone_number,
                                   TEST_TOKEN, PUBLIC_URL), "TERAPIA HORMONAL")
    plain = read_topic(Texter(plain_app.test_client(), "+14125559901", TEST_TOKEN, PUBLIC_URL), "TERAPIA HORMONAL")
    assert len(plain) < len(as_written) == 4
    assert sum(count_segments(m).segments for m in plain) < sum(count_segments(m).segments for m in as_written)
    assert all(is_gsm7(message) for message in plain)
    assert all(count_segments(message).segments <= 3 for message in plain)  # the budget still holds
    text = body(plain)
    assert "células" in text and "cancer" in text and "cáncer" not in text  # é kept, á dropped
    # Nothing else changes: the same words, only á í ó ú written without their accent.
    assert text == catalog_text(plain_app, "treatment.hormone").translate(GSM7_LACKS)
    assert plain[-1].endswith("ATRAS: otros temas. MENU: empezar de nuevo.")


def test_plain_keeps_n_tilde_and_every_number(plain_app, phone_number):
    messages = read_topic(Texter(plain_app.test_client(), phone_number, TEST_TOKEN, PUBLIC_URL), "SUPERVIVENCIA")
    text = body(messages)
    assert all(is_gsm7(message) for message in messages)
    assert "5 años" in text and "después" in text  # ñ and é are GSM-7 letters
    assert "metastasico" in text and "poblacion" in text
    # The numbers are those of the catalog text, digit for digit (the no-break space before % is a space).
    written = catalog_text(plain_app, "outlook.survival")
    assert re.findall(r"\d+", text) == re.findall(r"\d+", written) and "32 %" in text


def test_without_the_setting_spanish_texts_keep_every_accent(app, texter):
    messages = read_topic(texter, "TERAPIA HORMONAL")
    assert len(messages) == 4
    assert body(messages) == catalog_text(app, "treatment.hormone")  # exactly as translated
    assert "cáncer" in messages[0] and not is_gsm7(messages[0])


def test_every_spanish_reply_is_plain_but_english_ones_are_untouched(plain_app, phone_number):
    texter = Texter(plain_app.test_client(), phone_number, TEST_TOKEN, PUBLIC_URL)
    # The notice and the menu now share one GSM-7 message (as written they take two).
    assert texter.send("HOLA").messages == [
        "Esta linea da informacion general, no consejos médicos. En una emergencia, llame al 911.\n\n"
        "Informacion sobre el cancer de mama metastasico.\n1 Lo basico\n2 Sintomas\n3 Pruebas\n4 Pronostico\n"
        "5 Tratamiento\nResponda con un numero o una palabra como HUESO. IDIOMA, AYUDA."]
    help_text = texter.send("AYUDA").text
    assert is_gsm7(help_text) and "¿Preguntas? Llame al +1 412 555 0100." in help_text  # ¿ and the phone kept
    english = texter.send("English").text + texter.send("MENU").text
    assert "Language: English." in english and "Reply with a number" in english


def test_text_me_from_a_spanish_call_is_plain_while_the_call_keeps_its_accents(plain_app, twilio_http):
    caller = Caller(plain_app.test_client(), twilio_http.caller, TEST_TOKEN, PUBLIC_URL)
    caller.dial()
    caller.press("2")  # Español
    heard = caller.say("terapia hormonal")
    assert "cáncer" in heard.text  # speech keeps its accents
    caller.press("8")
    plain_app.extensions["infoline"].outbox.drain()
    assert len(twilio_http.messages) == 1
    sent = twilio_http.messages[0].data["Body"]
    assert is_gsm7(sent) and "células del cancer" in sent
    assert "(1/" not in sent  # the whole topic fits one plain message: nothing left to ask MAS for


def test_a_message_that_stays_ucs2_keeps_its_accents():
    # A language's name in its own script keeps the message UCS-2: dropping accents would save nothing.
    assert plain_if_cheaper("Elija un idioma:\n1 Español\n2 Tiếng Việt\n3 العربية") == \
        "Elija un idioma:\n1 Español\n2 Tiếng Việt\n3 العربية"
    assert plain_if_cheaper("Elija un idioma:\n1 Español\n2 Tiếng Việt") == "Elija un idioma:\n1 Español\n2 Tieng Viet"


def test_typographic_marks_become_ascii_and_gsm7_letters_stay():
    kept = "éèùìòÇØøÅåÄÖÑÜäöñüàÉßÆæ¿¡"
    assert plain_gsm7(kept) == kept
    assert plain_gsm7("“Sí” – ‘así’… ça, Œuvre, đường, 1\u202f000\u00a0%") == '"Si" - \'asi\'... ca, OEuvre, duong, 1 000 %'


@pytest.mark.parametrize("locales", ["ar", "ru", "ko", "zh_Hans", "ne", "es,ru"])
def test_a_locale_not_written_in_latin_letters_is_refused_at_start(locales):
    environ = {"IVR_MODE": "local", "TWILIO_AUTH_TOKEN": "dev", "IVR_HASH_SECRET": "s" * 32,
               "IVR_SMS_PLAIN_LOCALES": locales}
    with pytest.raises(ConfigError) as refused:
        create_app(environ=environ)
    message = str(refused.value)
    assert "\n" not in message and message.startswith("IVR_SMS_PLAIN_LOCALES may only name languages written "
                                                      "in the Latin alphabet")
    assert locales.split(",")[-1] in message and "'es'" not in message


def test_a_locale_the_line_does_not_offer_is_refused_at_start():
    environ = {"IVR_MODE": "local", "TWILIO_AUTH_TOKEN": "dev", "IVR_HASH_SECRET": "s" * 32,
               "IVR_LOCALES": "en,es", "IVR_SMS_PLAIN_LOCALES": "es,fr"}
    with pytest.raises(ConfigError, match=r"^IVR_SMS_PLAIN_LOCALES must name locales of IVR_LOCALES "
                                          r"\('en', 'es'\), got \('fr',\)$"):
        create_app(environ=environ)


def test_ivr_check_prints_what_plain_texts_save_per_latin_language():
    """Also the shipped project's `ivr check`, as the team runs it: it passes (one run for both, ~10 s)."""
    environ = {key: value for key, value in os.environ.items() if not key.startswith(("IVR_", "TWILIO_"))}
    result = subprocess.run([sys.executable, "-m", "ivr.tools.cli", "check"], cwd=PROJECT_DIR, capture_output=True,
                            text=True, timeout=120, env={**environ, "IVR_SMS_PLAIN_LOCALES": "es"})
    assert result.returncode == 0, result.stdout + result.stderr  # information, not a failure
    out = result.stdout
    assert "OK: content, catalogs" in out  # and the budgets hold with the longer plain pages
    figures = dict(re.findall(r"^  (\w+): (\d+ segments as written, \d+ plain \(.*\))$", out, flags=re.M))
    assert {"en", "es", "fr", "pt_BR", "vi"} <= set(figures) and not {"ar", "ru", "ko", "zh_Hans", "ne"} & set(figures)
    before, after, saving = map(int, re.match(r"(\d+) segments as written, (\d+) plain \(on: IVR_SMS_PLAIN_LOCALES "
                                              r"saves (\d+)%\)", figures["es"]).groups())
    assert after < before and saving == round(100 * (before - after) / before)
    assert re.match(r"\d+ segments as written, \d+ plain \(IVR_SMS_PLAIN_LOCALES would save \d+%\)", figures["fr"])
    assert figures["en"].endswith("(nothing to save)")
