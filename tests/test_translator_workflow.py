"""The patient-education team's workflow, as they would do it, on a copy of the project.

Edit one English sentence, re-extract: Spanish stays offered with that one entry in
English; `ivr check` names the PO file and line with the old and new English;
export Spanish to XLSX, fill the changed row, import it, and the check passes.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from openpyxl import load_workbook

from ivr.tools import spreadsheet
from ivr.tools.checks import run_checks
from ivr.config import load_settings
from ivr.engine import State, Text
from ivr.line import Line

LOCAL = {"mode": "local", "auth_token": "t", "hash_secret": "s" * 16}
OLD = "- swelling"
NEW = "- swelling in the arms or legs"


def retranslate(project_copy: Path) -> None:
    """What `make translations` runs."""
    pybabel = [sys.executable, "-m", "babel.messages.frontend"]
    subprocess.run([*pybabel, "extract", "-F", "babel.cfg", "-c", "NOTE", "--no-location", "--sort-by-file",
                    "-o", "translations/messages.pot", "."], cwd=project_copy, check=True, capture_output=True)
    subprocess.run([*pybabel, "update", "-i", "translations/messages.pot", "-d", "translations",
                    "--ignore-obsolete", "--previous"], cwd=project_copy, check=True, capture_output=True)


def edit_english(project_copy: Path) -> None:
    menu = project_copy / "content" / "menu.yaml"
    text = menu.read_text(encoding="utf-8")
    assert OLD + "\n" in text
    menu.write_text(text.replace(OLD + "\n", NEW + "\n", 1), encoding="utf-8")


def test_one_english_edit_keeps_spanish_offered_and_the_round_trip_fixes_it(project_copy, tmp_path):
    edit_english(project_copy)
    retranslate(project_copy)
    settings = load_settings({}, {**LOCAL, "locales": "en,es"})
    line = Line.build(settings, content_dir=project_copy / "content", translations_dir=project_copy / "translations")
    assert "es" in line.translations.locales
    bone = line.sms_engine.go(State(lang="es"), "symptoms.bone").screens[0].text
    assert NEW.lstrip("- ") in bone  # the changed entry comes in English ...
    assert "Señales de que el cáncer" in line.sms_engine.go(State(lang="es"), "symptoms.brain").screens[0].text

    problems = [problem for problem in run_checks(settings, project_copy) if "/es/" in problem]
    assert len(problems) == 1
    assert "translations/es/LC_MESSAGES/messages.po:" in problems[0]
    assert "[symptoms.bone|text]" in problems[0]
    assert f"{OLD}\n    now: " in problems[0]  # the old English, whole, then the new
    assert problems[0].rstrip().endswith(NEW)

    sheet_path = tmp_path / "es.xlsx"
    spreadsheet.export("es", "xlsx", sheet_path, project_copy / "translations")
    book = load_workbook(sheet_path)
    sheet = book.active
    header = [cell.value for cell in sheet[1]]
    changed = [row for row in sheet.iter_rows(min_row=2) if row[header.index("status")].value == "changed"]
    assert len(changed) == 1 and changed[0][0].value == "symptoms.bone|text"
    assert OLD in changed[0][header.index("previous english")].value
    cell = changed[0][header.index("translation")]
    cell.value = cell.value.replace("- hinchazón", "- hinchazón en los brazos o las piernas")
    book.save(sheet_path)

    assert spreadsheet.import_file(sheet_path, "es", project_copy, settings) == []
    assert [problem for problem in run_checks(settings, project_copy) if "/es/" in problem] == []


def test_an_import_with_a_broken_placeholder_is_refused_with_its_row(project_copy, tmp_path):
    settings = load_settings({}, {**LOCAL, "locales": "en,es"})
    sheet_path = tmp_path / "es.csv"
    spreadsheet.export("es", "csv", sheet_path, project_copy / "translations")
    import csv

    with sheet_path.open(encoding="utf-8", newline="") as handle:
        table = list(csv.reader(handle))
    row = next(index for index, row in enumerate(table) if row[0] == "outlook.survival|text")
    table[row][3] = table[row][3].replace("%(survival_rate)s", "%(survival)s")
    with sheet_path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(table)
    before = (project_copy / "translations" / "es" / "LC_MESSAGES" / "messages.po").read_bytes()
    problems = spreadsheet.import_file(sheet_path, "es", project_copy, settings)
    assert problems and problems[0].startswith(f"row {row + 1}: ") and "placeholders" in problems[0]
    assert (project_copy / "translations" / "es" / "LC_MESSAGES" / "messages.po").read_bytes() == before


def test_a_json_file_of_answers_is_imported_with_the_same_checks(project_copy, tmp_path):
    """For translators who send back "context|English": "translation" pairs instead of a spreadsheet."""
    import json

    from babel.messages.pofile import read_po

    settings = load_settings({}, {**LOCAL, "locales": "en,es"})
    edit_english(project_copy)
    retranslate(project_copy)
    with (project_copy / "translations" / "messages.pot").open("rb") as handle:
        english = next(message.id for message in read_po(handle) if message.context == "symptoms.bone|text")
    po = project_copy / "translations" / "es" / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as handle:
        old = next(message.string for message in read_po(handle) if message.context == "symptoms.bone|text")
    answers = tmp_path / "answers.json"

    answers.write_text(json.dumps({"symptoms.bone|text|" + english: old + " %(oops)s"}), encoding="utf-8")
    before = po.read_bytes()
    refused = spreadsheet.import_file(answers, "es", project_copy, settings)
    assert refused and "placeholders" in refused[0] and po.read_bytes() == before

    fixed = old.replace("- hinchazón", "- hinchazón en los brazos o las piernas")
    answers.write_text(json.dumps({"symptoms.bone|text|" + english: fixed}), encoding="utf-8")
    assert spreadsheet.import_file(answers, "es", project_copy, settings) == []
    assert [problem for problem in run_checks(settings, project_copy) if "/es/" in problem] == []


def test_editing_the_english_keywords_leaves_every_other_languages_list_alone(project_copy):
    """Keyword lists share one msgid; the English words ride in a comment: no fuzzy, nothing lost."""
    menu = project_copy / "content" / "menu.yaml"
    text = menu.read_text(encoding="utf-8")
    assert "keywords: [BONE, BONES," in text
    menu.write_text(text.replace("keywords: [BONE, BONES,", "keywords: [BONE, BONES, SKELETON,", 1), encoding="utf-8")
    retranslate(project_copy)
    settings = load_settings({}, {**LOCAL, "locales": "en,es"})
    assert run_checks(settings, project_copy) == []
    po = (project_copy / "translations" / "es" / "LC_MESSAGES" / "messages.po").read_text(encoding="utf-8")
    english = po.split('msgctxt "symptoms.bone|keywords"')[0].rsplit("#. English:", 1)[1]
    assert "SKELETON" in english  # the translator sees the new word beside the entry
    line = Line.build(settings, content_dir=project_copy / "content", translations_dir=project_copy / "translations")
    assert line.sms_engine.step(State(lang="es", chosen=True), Text("me duelen los huesos")).state.node == "symptoms.bone"
    assert line.sms_engine.step(State(lang="en", chosen=True), Text("skeleton")).state.node == "symptoms.bone"
