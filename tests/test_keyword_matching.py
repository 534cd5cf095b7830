"""How keywords, commands, numbers and language names are read, on a copy of the golden fixture line.

Each test changes the fixture's keywords a little (in a temporary copy) and
builds the keyword index afresh, so every table it builds is exercised:
collisions that `ivr check` reports, whole-message keywords, typos and where
they are never forgiven, the language a topic is found in.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from ivr.content import load_content
from ivr.i18n import Translations
from ivr.understanding.commands import Command
from ivr.understanding.matching import KeywordIndex, page_share, typo_budget
from tests.test_golden import HERE, copy_fixture

LOCALES = ["en", "es", "ar", "zh_Hans"]
OUTLOOK = """
- id: outlook
  title: Outlook
  keywords: [OUTLOOK]
  text: |
    What to expect.
  children: [outlook.cure]

- id: outlook.cure
  title: Can it be cured?
  keywords: [CURABLE, CURED]
  text: |
    It cannot be cured, but treatment helps.
"""


def index(tmp_path: Path, *replacements: tuple[str, str], outlook: bool = False,
          po: tuple[str, str, str] | None = None) -> KeywordIndex:
    """The fixture line's keyword index, after some text of its menu (or one Spanish catalog line) changed."""
    content_dir, translations_dir = copy_fixture(tmp_path)
    menu = content_dir / "menu.yaml"
    text = menu.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    if outlook:
        text = text.replace("children: [about, symptoms]", "children: [about, symptoms, outlook]") + OUTLOOK
    menu.write_text(text, encoding="utf-8")
    if po:
        path = translations_dir / po[0] / "LC_MESSAGES" / "messages.po"
        catalog = path.read_text(encoding="utf-8")
        assert po[1] in catalog, po[1]
        path.write_text(catalog.replace(po[1], po[2]), encoding="utf-8")
    content = load_content(content_dir)
    return KeywordIndex(content, Translations(content, LOCALES, "en", translations_dir))


def topic(found) -> tuple[tuple[str, ...], str] | None:
    return (found.nodes, found.lang) if found else None


def test_the_fixture_keywords_collide_nowhere(tmp_path):
    assert index(tmp_path).collisions == []


def test_a_keyword_of_two_topics_and_a_topic_keyword_that_is_a_command_are_reported(tmp_path):
    # (English keywords are checked when the content loads; a catalog's here)
    found = index(tmp_path, po=("es", '"PULMON, PULMONES, TOS,', '"PULMON, PULMONES, HUESOS, ATRAS, TOS,'))
    assert found.collisions == ["es: 'HUESOS' leads to both 'symptoms.bone' and 'symptoms.lung'",
                                "es: topic keyword 'ATRAS' of 'symptoms.lung' is a command word"]


def test_a_word_of_two_commands_is_reported(tmp_path):
    found = index(tmp_path, po=("es", 'msgid "HELP, INFO"\nmsgstr "AYUDA"', 'msgid "HELP, INFO"\nmsgstr "AYUDA, MAS"'))
    assert found.collisions == ["es: command word 'MAS' already means MORE (es)"]


def test_commands_twilio_words_and_typos(tmp_path):
    keywords = index(tmp_path)
    stop = keywords.command("stop")
    assert stop is not None and stop.command is Command.STOP and stop.twilio and stop.lang == "en"
    own = keywords.command("dar de baja")
    assert own is not None and own.command is Command.STOP and not own.twilio and own.lang == "es"
    start = keywords.command("start")
    assert start is not None and start.command is Command.START and start.twilio
    assert keywords.command("languaje", "en").command is Command.LANG  # a typo in a long command word
    assert keywords.command("languaje", "en", typos=False) is None
    assert keywords.command("menuu", "en") is None  # too short for a typo
    assert keywords.command("stpo", "en") is None  # opt-out words never by a typo
    assert keywords.command("", "en") is None and keywords.command("more please", "en") is None
    assert keywords.command("idioma").command is Command.LANG and keywords.command("idioma").lang == "es"


def test_numbers_and_language_names(tmp_path):
    keywords = index(tmp_path)
    assert [keywords.number(text) for text in ("2", "12", "123", "2a", "")] == [2, 12, None, None, None]
    assert keywords.language("espanol") == "es" == keywords.language("spanish")
    assert keywords.language("english") == "en" and keywords.language("es") is None  # names, never codes


def test_topics_by_keyword_phrase_and_typo(tmp_path):
    keywords = index(tmp_path, ("keywords: [LUNG, LUNGS, BREATH]", "keywords: [LUNG, LUNGS, SHORT OF BREATH]"))
    assert topic(keywords.topic("i am short of breath", "en")) == (("symptoms.lung",), "en")
    assert topic(keywords.topic("symptons", "en")) == (("symptoms",), "en")  # one typo in a long word
    assert keywords.topic("symptons", "en", typos=False) is None
    assert keywords.topic("bonse", "en") is None  # too short for a typo
    assert topic(keywords.topic("lungs or bones", "en")) == (("symptoms.bone", "symptoms.lung"), "en")


def test_a_keyword_inside_a_longer_keyword_of_another_topic_does_not_count(tmp_path):
    # "spread to the bones" names where it spreads, not bone symptoms; "bones" alone still does.
    keywords = index(tmp_path, ("keywords: [SPREAD, SPREADS, WHERE]", "keywords: [SPREAD, SPREADS, WHERE, "
                                "SPREAD TO THE BONES]"))
    assert topic(keywords.topic("has it spread to the bones", "en")) == (("about.spread",), "en")
    assert topic(keywords.topic("my bones ache", "en")) == (("symptoms.bone",), "en")
    # A menu's word inside its topic's keyword still adds to the topic: "lung symptoms" stays Lungs.
    assert topic(keywords.topic("lung symptoms", "en")) == (("symptoms.lung",), "en")


def test_a_whole_message_keyword_counts_only_alone(tmp_path):
    keywords = index(tmp_path, ("keywords: [SPREAD, SPREADS, WHERE]", "keywords: [SPREAD, SPREADS, =WHERE]"))
    assert topic(keywords.topic("where", "en")) == (("about.spread",), "en")
    assert keywords.topic("where do i go", "en") is None


def test_a_typo_never_opens_the_outlook_pages(tmp_path):
    keywords = index(tmp_path, outlook=True)
    assert topic(keywords.topic("curable", "en")) == (("outlook.cure",), "en")
    assert keywords.topic("curabel", "en") is None
    assert topic(keywords.topic("symptons", "en")) == (("symptoms",), "en")


def test_another_languages_keyword_switches_only_when_allowed(tmp_path):
    keywords = index(tmp_path)
    assert topic(keywords.topic("huesos", "en")) == (("symptoms.bone",), "es")
    assert keywords.topic("huesos", "en", switch=False) is None  # a chosen English conversation keeps English
    assert topic(keywords.topic("bones", "es", switch=False)) == (("symptoms.bone",), "es")  # English works too


@pytest.mark.parametrize("word, budget", [("bone", 0), ("bones", 0), ("breath", 1), ("symptoms", 1),
                                          ("metastatic", 2), ("عظام", 0), ("الأعراض", 0), ("الاعراضات", 1)])
def test_typo_budgets(word, budget):
    assert typo_budget(word) == budget


def test_words_on_many_pages_weigh_less(tmp_path):
    keywords = index(tmp_path)
    factors = page_share(keywords.content, Translations(keywords.content, ["en"], "en", HERE / "translations")["en"])
    assert 0.35 <= factors["the"] < 1.0 and "cough" not in factors and factors["it"] == 0.35


def test_an_everyday_words_character_pairs_never_find_a_page():
    from ivr.understanding.retrieval import PageIndex

    # Korean is read by character pairs: "안돼요" (it doesn't work) shares "돼요" with a page's "전이돼요".
    pages = PageIndex("ko", {"about.spread": "뼈로 전이돼요 간으로 전이돼요", "tests.ct": "촬영 검사",
                             "tests.mri": "자기 공명", "tests.pet": "양전자 단층"}, stop=["안돼요"])
    assert pages.scores("이해가 안돼요") == {}
    assert "about.spread" in pages.scores("뼈로 전이돼요?")
