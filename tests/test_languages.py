"""Twelve languages: CLDR names, Babel numbers and dates, plural rules, right-to-left, keywords."""
from __future__ import annotations

from pathlib import Path

import pytest

from ivr import create_app
from ivr.i18n import TRANSLATIONS_DIR
from ivr.render.sms import RLM
from tests.conftest import PUBLIC_URL, TEST_TOKEN
from tests.phone import Texter

ALL = "en,es,zh_Hans,vi,ar,ru,ko,fr,pt_BR,fil,ht,ne"


@pytest.fixture
def texter_all(settings, twilio_http, phone_number) -> Texter:
    app = create_app({**settings, "locales": ALL}, environ={}, twilio_http_client=twilio_http)
    return Texter(app.test_client(), phone_number, TEST_TOKEN, PUBLIC_URL)


def test_the_language_menu_names_each_language_in_its_own_words(texter_all):
    reply = texter_all.send("LANG").text
    for number, name in enumerate(["English", "Español", "中文 (简体)", "Tiếng Việt", "العربية", "Русский",
                                   "한국어", "Français", "Português (Brasil)", "Filipino", "Kreyòl Ayisyen",
                                   "नेपाली"], start=1):
        assert f"{number} {name}" in reply


@pytest.mark.parametrize("keyword, expected", [
    ("TRIỆU CHỨNG", "Triệu chứng tùy vào nơi ung thư đã lan đến."),
    ("TRIEU CHUNG", "Triệu chứng tùy vào nơi ung thư đã lan đến."),
    ("症状", "症状要看癌症扩散到了身体的哪个部位。"),
    ("뼈가 아파요", "암이 뼈에 있을 수 있다는 신호"),
    ("ХИМИО", "Химиотерапия"),
    ("SIMPTOMY", "Симптомы"),
    ("chimio", "Chimiothérapie"),
    ("quimioterapia", "Quimioterapia"),
    ("SINTOMAS", "Los síntomas dependen"),
    ("sangue", "Exames de sangue"),
])
def test_a_keyword_of_any_language_switches_to_it(texter_all, keyword, expected):
    texter_all.send("MENU")
    assert expected in texter_all.send(keyword).text


def test_commands_in_another_language_do_not_switch(texter_all):
    texter_all.send("症状")
    reply = texter_all.send("MAS")  # Spanish MORE, while in Chinese
    assert "这个主题的内容就是这些" in reply.text or "更多" in reply.text or "菜单" in reply.text
    assert "tema" not in reply.text


def test_arabic_lines_start_with_a_right_to_left_mark_and_keep_latin_words_in_order(texter_all):
    texter_all.send("LANG")
    reply = texter_all.send("5")
    assert reply.messages, "no reply"
    for message in reply.messages:
        for line in message.split("\n"):
            assert not line or line.startswith(RLM), repr(line)
    english = texter_all.send("MENU")  # still Arabic: MENU is a command
    assert all(line.startswith(RLM) for line in english.messages[0].split("\n") if line)


def test_no_direction_marks_in_left_to_right_languages(texter_all):
    assert RLM not in texter_all.send("SYMPTOMS").text
    assert RLM not in texter_all.send("CHIMIO").text


def test_numbers_and_dates_are_formatted_by_babel_for_each_locale(texter_all):
    assert "32 %" in texter_all.send("SURVIE").text.replace("\u202f", " ").replace("\xa0", " ")
    assert "18 septembre 2025" in texter_all.send("SOURCE").text
    texter_all.send("LANG")
    texter_all.send("6")
    assert "18 сентября 2025" in texter_all.send("SOURCE").text


def test_plural_forms_follow_the_locales_rules(settings, twilio_http):
    from ivr.render.sms import more_footer

    app = create_app({**settings, "locales": ALL}, environ={}, twilio_http_client=twilio_http)
    translations = app.extensions["infoline"].translations
    russian = translations["ru"]
    forms = {more_footer(russian, 1, pages) for pages in (2, 3, 6)}  # 1, 2 and 5 parts to go
    assert len(forms) == 3, forms  # Russian: one, few and many differ
    english = translations["en"]
    assert more_footer(english, 1, 2).endswith("1 more part: reply MORE.")
    assert more_footer(english, 1, 3).endswith("2 more parts: reply MORE.")


def test_operators_choose_the_offered_languages(settings, twilio_http, phone_number):
    app = create_app({**settings, "locales": "en,fr,ne"}, environ={}, twilio_http_client=twilio_http)
    texter = Texter(app.test_client(), phone_number, TEST_TOKEN, PUBLIC_URL)
    reply = texter.send("LANG").text
    assert "2 Français" in reply and "3 नेपाली" in reply and "Español" not in reply
    assert "Los síntomas" not in texter.send("SINTOMAS").text  # a disabled language is never used


def test_every_catalog_says_it_is_machine_assisted_and_needs_review():
    for po in sorted(Path(TRANSLATIONS_DIR).glob("*/LC_MESSAGES/messages.po")):
        head = " ".join(po.read_text(encoding="utf-8").splitlines()[:4])
        assert "Machine-assisted translation" in head and "qualified medical" in head, po


def test_text_only_languages_say_so_in_help(texter_all):
    texter_all.send("LANG")
    assert "नेपाली" in texter_all.send("12").text  # Nepali works by text
    help_reply = texter_all.send("HELP")
    assert "फोन कल अझै छैन" in help_reply.text
    texter_all.send("LANG")
    texter_all.send("8")  # French has a voice: no such note
    assert "pas encore disponibles" not in texter_all.send("AIDE").text


def test_a_phone_number_in_arabic_keeps_its_digit_groups_in_order(texter_all):
    from ivr.render.wording import LRE, PDF

    texter_all.send("LANG")
    texter_all.send("5")
    help_text = texter_all.send("HELP").text
    assert f"{LRE}+1 412 555 0100{PDF}" in help_text
    texter_all.send("LANG")
    texter_all.send("1")
    assert LRE not in texter_all.send("HELP").text  # left-to-right languages need no embedding
