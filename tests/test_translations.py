"""Catalogs: complete, checked, and never served fuzzy or missing as if translated."""
from __future__ import annotations

from pathlib import Path


from ivr.tools.checks import run_checks
from ivr.config import load_settings
from ivr.content import load_content
from ivr.i18n import Translations
from ivr.line import offered_locales

ES_PO = Path("translations/es/LC_MESSAGES/messages.po")
LOCAL = {"mode": "local", "auth_token": "check", "hash_secret": "x" * 16}


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# The shipped catalogs passing `ivr check` as a command: tests/test_plain_sms.py runs it once for both.


def test_a_fuzzy_entry_fails_the_check_and_is_not_served(project_copy):
    po = project_copy / ES_PO
    replace_in(po, 'msgctxt "symptoms|title"', '#, fuzzy\nmsgctxt "symptoms|title"')
    problems = run_checks(load_settings({}, LOCAL), project_copy)
    assert any("fuzzy" in problem and "symptoms|title" in problem for problem in problems)
    content = load_content(project_copy / "content")
    spanish = Translations(content, ["en", "es"], directory=project_copy / "translations")["es"]
    assert spanish.title(content.nodes["symptoms"]) == "Symptoms"  # falls back to English, logged
    assert ("symptoms|title", "Symptoms") in spanish.missing
    offered = offered_locales(load_settings({}, LOCAL), content, project_copy / "translations")
    assert "es" in offered and "en" in offered  # one changed entry never takes a language away


def test_a_missing_entry_fails_the_check(project_copy):
    po = project_copy / ES_PO
    text = po.read_text(encoding="utf-8")
    start = text.index('msgctxt "tests.mri|text"')
    msgstr = text.index("msgstr", start)
    end = text.index("\n\n", msgstr)
    po.write_text(text[:msgstr] + 'msgstr ""' + text[end:], encoding="utf-8")
    problems = run_checks(load_settings({}, LOCAL), project_copy)
    assert any("[tests.mri|text] not translated" in problem and "messages.po:" in problem for problem in problems)


def test_a_changed_placeholder_fails_the_check(project_copy):
    from babel.messages.pofile import read_po, write_po

    path = project_copy / ES_PO
    with path.open("rb") as handle:
        catalog = read_po(handle, locale="es")
    help_message = next(m for m in catalog if m.id and "%(phone)s" in str(m.id))
    help_message.string = help_message.string.replace("%(phone)s", "%(telefono)s")
    with path.open("wb") as handle:
        write_po(handle, catalog)
    problems = run_checks(load_settings({}, LOCAL), project_copy)
    assert any("placeholders differ" in problem for problem in problems)


def test_a_stale_template_fails_the_check(project_copy):
    replace_in(project_copy / "content" / "menu.yaml", "title: Bone symptoms", "title: Bones")
    problems = run_checks(load_settings({}, LOCAL), project_copy)
    assert any("messages.pot is stale" in problem for problem in problems)


def test_a_keyword_collision_in_a_catalog_fails_the_check(project_copy):
    po = project_copy / ES_PO
    text = po.read_text(encoding="utf-8")
    start = text.index('msgctxt "symptoms.brain|keywords"')
    msgstr = text.index('msgstr "', start) + len('msgstr "')
    po.write_text(text[:msgstr] + "HUESO, " + text[msgstr:], encoding="utf-8")
    problems = run_checks(load_settings({}, LOCAL), project_copy)
    assert any("'HUESO' leads to both" in problem for problem in problems)


def test_source_date_is_formatted_for_each_locale():
    content = load_content()
    translations = Translations(content, ["en", "es"])
    assert translations["en"].date(content.source.reviewed) == "September 18, 2025"
    assert translations["es"].date(content.source.reviewed) == "18 de septiembre de 2025"
    assert translations["en"].percent("survival_rate") == "32%"
