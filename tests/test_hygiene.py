"""`ivr check`'s word rules: no opt-out or keyword that people use every day, no generic question
word as a keyword, no one-character keyword hidden inside other topics' keywords; each problem names
the file, the line and the word it collides with.

Played on copies of the golden fixture's catalogs with one mistake each, in-process (milliseconds).
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from ivr.content import load_content
from ivr.i18n import Translations
from ivr.understanding.hygiene import check_words, everyday_in, frequent_words
from ivr.understanding.safety import available_lists
from tests.test_golden import HERE, copy_fixture

LOCALES = ["en", "es", "ar", "zh_Hans"]
BONES_KEYWORDS = "HUESO, HUESOS, DOLOR DE HUESOS"


def line_of(tmp_path: Path, locale: str, context: str, msgid_start: str = "") -> int:
    with (tmp_path / "translations" / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return next(message.lineno for message in read_po(handle)
                    if message.context == context and message.id and message.id.startswith(msgid_start))


def problems_with(tmp_path: Path, locale: str, context: str, msgid_start: str, new: str,
                  everyday: tuple[str, ...] = (), english: tuple[str, str] | None = None) -> list[str]:
    """The word problems of the fixture line after one catalog entry is changed (and, if given, words
    added to the Spanish safety file's everyday list, or an English keyword list replaced)."""
    content_dir, directory = copy_fixture(tmp_path)
    if everyday:
        safety = content_dir / "safety" / "es.yaml"
        safety.write_text(safety.read_text(encoding="utf-8") + "".join(f"  - {word}\n" for word in everyday),
                          encoding="utf-8")
    if english:
        menu = content_dir / "menu.yaml"
        menu.write_text(menu.read_text(encoding="utf-8").replace(*english), encoding="utf-8")
    po = directory / locale / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    entry = next(message for message in catalog if message.context == context and message.id.startswith(msgid_start))
    entry.string = new
    with po.open("wb") as handle:
        write_po(handle, catalog, width=100)
    content = load_content(content_dir)
    translations = Translations(content, LOCALES, "en", directory)
    return check_words(translations, content, available_lists(LOCALES, content_dir / "safety"), directory)


def test_the_fixture_catalogs_have_no_word_problems(tmp_path):
    assert problems_with(tmp_path, "es", "symptoms.bone|keywords", "(the words", BONES_KEYWORDS) == []


def test_a_stop_word_people_say_every_day_fails_with_its_file_line_and_languages(tmp_path):
    found = problems_with(tmp_path, "es", "command", "STOP", "DAR DE BAJA, NO, VALE")
    assert len(found) == 2, found
    assert found[0].startswith(f"translations/es/LC_MESSAGES/messages.po:{line_of(tmp_path, 'es', 'command', 'STOP')}: ")
    assert "[es] STOP word 'NO' is an everyday word in " in found[0]
    assert {"en", "es"} <= set(re.search(r"everyday word in ([^:]+):", found[0]).group(1).split(", "))
    assert "a patient saying it would be unsubscribed" in found[0] and "'VALE'" in found[1]


def test_a_start_word_people_say_every_day_fails_too(tmp_path):
    found = problems_with(tmp_path, "es", "command", "START", "REACTIVAR, BUENO")
    assert [problem.split(": ", 1)[1] for problem in found] == [
        "[es] START word 'BUENO' is an everyday word in es: a patient saying it would be subscribed again"]


def test_twilios_own_stop_words_are_allowed_though_common(tmp_path):
    assert problems_with(tmp_path, "es", "command", "STOP", "STOP, END, DAR DE BAJA") == []


def test_a_generic_question_word_as_a_keyword_fails(tmp_path):
    found = problems_with(tmp_path, "es", "symptoms.bone|keywords", "(the words", f"{BONES_KEYWORDS}, QUE ES")
    assert found == [f"translations/es/LC_MESSAGES/messages.po:{line_of(tmp_path, 'es', 'symptoms.bone|keywords')}: "
                     "[es] keyword 'QUE ES' of symptoms.bone is a generic question word: it says nothing about the topic"]


def test_a_keyword_that_is_another_languages_everyday_word_fails(tmp_path):
    found = problems_with(tmp_path, "es", "symptoms.bone|keywords", "(the words", f"{BONES_KEYWORDS}, THE")
    assert len(found) == 1 and "[es] keyword 'THE' of symptoms.bone is an everyday word in " in found[0]
    assert "en" in found[0].rsplit(" in ", 1)[1].split(", ") and "es" not in found[0].rsplit(" in ", 1)[1]


def test_a_one_character_keyword_inside_other_topics_keywords_fails(tmp_path):
    found = problems_with(tmp_path, "zh_Hans", "symptoms.lung|keywords", "(the words", "肺, 肺部, 骨")
    assert len(found) == 1 and found[0].startswith("translations/zh_Hans/LC_MESSAGES/messages.po:")
    assert found[0].endswith("[zh_Hans] one-character keyword '骨' of symptoms.lung is inside keywords of other topics: "
                             "转移到骨, 骨头, 骨头好痛")


@pytest.mark.parametrize("word, expected", [("hola", ["es"]), ("The", ["en", "es", "zh_Hans"]), ("xyzzy", [])])
def test_everyday_words_are_found_in_their_languages(word, expected):
    vocabularies = {locale: frequent_words(locale) for locale in ("en", "es", "zh_Hans")}
    assert everyday_in(word, vocabularies) == expected  # wordfreq's Spanish and Chinese lists hold "the" too
    assert frequent_words("ht") == frozenset() and "the" in frequent_words("en", 10)


def test_an_editor_sees_which_phrase_of_which_list_a_message_matched():
    from ivr.understanding.safety import SafetyCheck

    check = SafetyCheck.load(["en", "es"], HERE / "content" / "safety")
    assert check.explain("i want to die") == [("crisis", "en", "want to die")]
    assert check.explain("me muero de ganas de saber") == []  # a guard: its words count for nothing else
    assert sorted(check.explain("quiero morir, no puedo respirar")) == [("crisis", "es", "quiero morir"),
                                                                        ("emergency", "es", "no puedo respirar")]


@pytest.mark.parametrize("text, problem", [
    ("crisis: [want to die", "not valid YAML"),
    ("- a list", "expected a mapping of lists"),
    ("crisis: a phrase", "'crisis' must be a list of phrases"),
    ("crisis: []\nemergency: [chest pain]\nperson: [nurse]", "'crisis' has no phrases"),
    ("crisis: [want to die]\nemergency: ['  ']\nperson: [nurse]", "'emergency' has no phrases"),
])
def test_a_broken_safety_file_is_refused_with_its_name(tmp_path, text, problem):
    from ivr.understanding.safety import SafetyError, load_safety_lists

    (tmp_path / "en.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(SafetyError, match=problem) as refused:
        load_safety_lists(["en"], tmp_path)
    assert "en.yaml" in str(refused.value)
    with pytest.raises(SafetyError, match="no safety phrases for locale es"):
        load_safety_lists(["es"], tmp_path)


def test_a_word_of_a_languages_own_everyday_list_counts_as_everyday(tmp_path):
    found = problems_with(tmp_path, "es", "command", "STOP", "DAR DE BAJA, ZZQX", everyday=("zzqx",))
    assert [problem.split(": ", 1)[1] for problem in found] == [
        "[es] STOP word 'ZZQX' is an everyday word in es: a patient saying it would be unsubscribed"]
    found = problems_with(tmp_path / "2", "ar", "symptoms.bone|keywords", "(the words", "عظام, ZZQX",
                          everyday=("zzqx",))
    assert [problem.split(": ", 1)[1] for problem in found] == [
        "[ar] keyword 'ZZQX' of symptoms.bone is an everyday word in es"]


def test_an_english_keyword_problem_names_the_content_file(tmp_path):
    found = problems_with(tmp_path, "es", "symptoms.bone|keywords", "(the words", BONES_KEYWORDS,
                          english=("keywords: [BONE, BONES]", "keywords: [BONE, BONES, WHAT IS]"))
    assert found == ["content/menu.yaml: [en] keyword 'WHAT IS' of symptoms.bone is a generic question word: "
                     "it says nothing about the topic"]


def test_a_keyword_shared_by_two_languages_for_the_same_topic_is_no_clash(tmp_path):
    # "HUESO" stays Spanish; an English keyword list may hold the same international word as another's
    assert problems_with(tmp_path, "es", "symptoms.lung|keywords", "(the words", "PULMON, LUNGS") == []
