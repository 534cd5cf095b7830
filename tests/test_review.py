"""Review records, as the team keeps them: who reviewed what, against which English, and what is due.

Each test works on a copy of the project and uses the commands the README
gives the team (`ivr review`, `ivr review record ...`, `ivr check --strict`).
"""
from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

from ivr.config import load_settings
from ivr.tools.review import due_for_review
from tests.test_translator_workflow import edit_english, retranslate

SETTINGS = load_settings({}, {"mode": "local", "auth_token": "t", "hash_secret": "s" * 16, "locales": "en,es,fr"})
TODAY = dt.date(2026, 12, 1)


def ivr(project: Path, *args: str) -> subprocess.CompletedProcess:
    """The `ivr` command run inside the copy, as a team member would, on its own files."""
    env = {**os.environ, "IVR_LOCALES": "en,es,fr", "PYTHONPATH": str(project)}
    return subprocess.run([sys.executable, "-m", "ivr.tools.cli", *args], cwd=project, env=env, capture_output=True,
                          text=True, timeout=120)


def lines_about(findings: list[str], what: str) -> list[str]:
    return [line for line in findings if what in line]


def test_a_draft_catalog_and_list_are_due_until_someone_records_a_review(project_copy):
    due = due_for_review(SETTINGS, project_copy, TODAY)
    assert lines_about(due, "translation es:") and lines_about(due, "safety list es:")
    assert "machine-assisted draft" in lines_about(due, "translation es:")[0]

    recorded = ivr(project_copy, "review", "record", "translations", "es", "--by", "Ana Ruiz, medical translator")
    assert recorded.returncode == 0, recorded.stderr
    recorded = ivr(project_copy, "review", "record", "safety", "es", "--by", "Dr. Lee, oncology nurse")
    assert recorded.returncode == 0, recorded.stderr

    po_header = (project_copy / "translations/es/LC_MESSAGES/messages.po").read_text(encoding="utf-8")[:600]
    assert "# Reviewed-By: Ana Ruiz, medical translator" in po_header
    due = due_for_review(SETTINGS, project_copy, TODAY)
    assert not lines_about(due, "translation es:") and not lines_about(due, "safety list es:")
    assert lines_about(due, "translation fr:")  # only what was reviewed leaves the list


def test_a_changed_english_sentence_makes_the_review_stale_and_the_record_survives_make_translations(project_copy):
    assert ivr(project_copy, "review", "record", "translations", "es", "--by", "Ana Ruiz").returncode == 0
    retranslate(project_copy)  # nothing changed: the record stands
    assert not lines_about(due_for_review(SETTINGS, project_copy, TODAY), "translation es:")

    edit_english(project_copy)
    retranslate(project_copy)
    stale = lines_about(due_for_review(SETTINGS, project_copy, TODAY), "translation es:")
    assert len(stale) == 1 and stale[0].startswith("CHANGED SINCE REVIEW")
    assert "by Ana Ruiz" in stale[0] and "the English is now en-" in stale[0]


def test_a_changed_safety_list_needs_the_clinician_again(project_copy):
    assert ivr(project_copy, "review", "record", "safety", "es", "--by", "Dr. Lee").returncode == 0
    path = project_copy / "content/safety/es.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("crisis:\n", "crisis:\n  - ya no aguanto mas\n", 1),
                    encoding="utf-8")
    stale = lines_about(due_for_review(SETTINGS, project_copy, TODAY), "safety list es:")
    assert len(stale) == 1 and "changed since" in stale[0] and "Dr. Lee" in stale[0]


def test_topics_are_due_by_their_review_date_with_file_and_line(project_copy):
    menu = project_copy / "content/menu.yaml"
    text = menu.read_text(encoding="utf-8")
    text = text.replace("- id: symptoms.bone\n", "- id: symptoms.bone\n  review_by: 2026-11-01\n", 1)
    text = text.replace("- id: symptoms.brain\n", "- id: symptoms.brain\n  review_by: 2026-12-20\n", 1)
    text = text.replace("- id: symptoms.lung\n", "- id: symptoms.lung\n  review_by: 2027-06-01\n", 1)
    menu.write_text(text, encoding="utf-8")
    due = due_for_review(SETTINGS, project_copy, TODAY)
    bone = lines_about(due, "topic symptoms.bone:")
    assert bone and bone[0].startswith("OVERDUE") and "30 days ago" in bone[0] and "menu.yaml:" in bone[0]
    brain = lines_about(due, "topic symptoms.brain:")
    assert brain and brain[0].startswith("due") and "in 19 days" in brain[0]
    assert not lines_about(due, "topic symptoms.lung:")


def test_make_check_warns_on_reviews_due_and_fails_with_strict(project_copy):
    plain = ivr(project_copy, "check")
    assert plain.returncode == 0, plain.stdout + plain.stderr
    assert "WARN review NEVER REVIEWED: translation es" in plain.stdout
    strict = ivr(project_copy, "check", "--strict")
    assert strict.returncode == 1
    assert "FAIL review NEVER REVIEWED: translation es" in strict.stdout


def test_a_review_date_that_is_not_a_date_is_refused_with_file_and_line(project_copy):
    menu = project_copy / "content/menu.yaml"
    menu.write_text(menu.read_text(encoding="utf-8").replace(
        "- id: symptoms.bone\n", "- id: symptoms.bone\n  review_by: next spring\n", 1), encoding="utf-8")
    result = ivr(project_copy, "review")
    assert result.returncode == 2
    assert "menu.yaml:" in result.stderr and "review_by must be a date" in result.stderr
