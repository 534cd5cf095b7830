"""Review records: who checked which topic, translation and safety list, and when it is due again.

Three kinds of record, each kept next to what it covers:
- a topic's `review_by: YYYY-MM-DD` in content/menu.yaml (or one for all
  topics in source.yaml), when the clinical team must look at it again;
- a catalog's reviewer, date and the revision of the English it was checked
  against, in the PO file's header comment (`# Reviewed-By:` ...). Babel keeps
  header comments through `pybabel update` but drops unknown header fields;
- a safety list's `review:` block in content/safety/<locale>.yaml, with the
  revision of the lists the clinician signed off.

A revision is a short hash of what was reviewed, so a record goes stale by
itself when the English (or the list) changes after it.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from babel.messages.pofile import read_po

from ivr.config import Settings
from ivr.content import PROJECT_DIR, Content, load_content
from ivr.i18n import SOURCE_LOCALE, po_path
from ivr.understanding.safety import LISTS, SafetyList, load_safety_lists


DUE_WITHIN_DAYS = 30
RECORD = re.compile(r"^# Reviewed-(By|On|Against): *(.*)$", re.MULTILINE)


@dataclass(frozen=True)
class Finding:
    """One thing due for review, said so a nurse or a translator knows what to do."""

    kind: str  # topic | catalog | safety
    name: str
    state: str  # overdue | due | never reviewed | changed since review
    detail: str

    @property
    def urgent(self) -> bool:
        return self.state != "due"


def english_revision(template: Path) -> str:
    """A short hash of every English entry in the template (context, text, plural)."""
    with template.open("rb") as handle:
        catalog = read_po(handle)
    entries = sorted(f"{m.context or ''}\x04{m.id if isinstance(m.id, str) else chr(0).join(m.id)}"
                     for m in catalog if m.id)
    return "en-" + hashlib.sha256("\n".join(entries).encode()).hexdigest()[:10]


def list_revision(safety: SafetyList) -> str:
    """A short hash of a language's safety lists, as the clinician saw them."""
    text = "\n".join(f"{name}:{phrase}" for name in LISTS for phrase in safety.lists.get(name, []))
    return "lists-" + hashlib.sha256(text.encode()).hexdigest()[:10]


def catalog_record(po_file: Path) -> dict[str, str]:
    """The Reviewed-By/On/Against lines of a PO file's header comment (empty when never reviewed)."""
    head = po_file.read_text(encoding="utf-8").split('\nmsgid ""', 1)[0]
    return {name.lower(): value.strip() for name, value in RECORD.findall(head)}


def record_catalog_review(po_file: Path, reviewer: str, revision: str, today: dt.date) -> None:
    """Write (or replace) the review lines at the top of the header comment."""
    text = po_file.read_text(encoding="utf-8")
    head, sep, rest = text.partition('\nmsgid ""')
    head = RECORD.sub("", head)
    head = re.sub(r"\n{2,}", "\n", head).strip("\n")
    lines = [f"# Reviewed-By: {reviewer}", f"# Reviewed-On: {today.isoformat()}", f"# Reviewed-Against: {revision}"]
    po_file.write_text("\n".join(lines) + "\n" + head + sep + rest, encoding="utf-8")


def record_safety_review(safety: SafetyList, reviewer: str, today: dt.date) -> None:
    """Fill the list file's `review:` block, keeping its comments and phrases as they are."""
    text = safety.path.read_text(encoding="utf-8")
    block = (f"review:\n  status: reviewed\n  reviewed_by: {_yaml_text(reviewer)}\n"
             f"  date: \"{today.isoformat()}\"\n  against: {list_revision(safety)}\n")
    pattern = re.compile(r"^review:\n(?:[ \t]+.*\n)*", re.MULTILINE)
    text = pattern.sub(lambda _: block, text, count=1) if pattern.search(text) else block + text
    safety.path.write_text(text, encoding="utf-8")


def _yaml_text(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _date(value: object) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        return None


def topic_findings(content: Content, today: dt.date, within: int = DUE_WITHIN_DAYS) -> list[Finding]:
    """Topics whose review_by date (their own, else source.yaml's) has passed or comes within `within` days."""
    findings = []
    default = content.source.review_by
    for node in content.walk():
        due = node.review_by or default
        if due is None:
            continue
        days = (due - today).days
        if days <= within:
            where = f"{shown(content.path)}:{node.line}" if node.review_by else "source.yaml review_by"
            when = f"{-days} days ago" if days < 0 else ("today" if days == 0 else f"in {days} days")
            findings.append(Finding("topic", node.id, "overdue" if days < 0 else "due", f"review_by {due.isoformat()} ({when}), {where}"))
    return findings


def catalog_findings(locales: list[str], translations_dir: Path, revision: str) -> list[Finding]:
    """Catalogs never reviewed, or reviewed against English that has changed since."""
    findings = []
    for locale in locales:
        po_file = po_path(locale, translations_dir)
        if not po_file.exists():
            continue
        record = catalog_record(po_file)
        fix = f"after review: ivr review record translations {locale} --by \"Name, role\""
        if not record.get("by") or not _date(record.get("on")):
            findings.append(Finding("catalog", locale, "never reviewed", f"a machine-assisted draft until a qualified "
                                                             f"medical translator reviews it ({shown(po_file)}); {fix}"))
        elif record.get("against") != revision:
            findings.append(Finding("catalog", locale, "changed since review",
                                    f"reviewed {record['on']} by {record['by']} against {record.get('against') or '?'}; "
                                    f"the English is now {revision} (see the #| previous English in {shown(po_file)}); {fix}"))
    return findings


def safety_findings(lists: list[SafetyList]) -> list[Finding]:
    """Safety lists not signed off by a clinician, or changed since."""
    findings = []
    for safety in lists:
        review = safety.review or {}
        fix = f"after review: ivr review record safety {safety.locale} --by \"Name, role\""
        if str(review.get("status", "")).strip() != "reviewed" or not _date(review.get("date")):
            findings.append(Finding("safety", safety.locale, "never reviewed",
                                    f"a draft until a clinician reviews it ({shown(safety.path)}); {fix}"))
        elif str(review.get("against", "")).strip() != list_revision(safety):
            findings.append(Finding("safety", safety.locale, "changed since review",
                                    f"reviewed {review.get('date')} by {review.get('reviewed_by')}, but the lists "
                                    f"changed since ({shown(safety.path)}); {fix}"))
    return findings


def due_for_review(settings: Settings, project_dir: Path = PROJECT_DIR, today: dt.date | None = None,
                   within: int | None = None) -> list[str]:
    """Every topic, catalog and safety list due for review, one line each (`ivr review`, `ivr check`)."""
    today = today or dt.date.today()
    translations = project_dir / "translations"
    content = load_content(project_dir / "content")
    findings = topic_findings(content, today, DUE_WITHIN_DAYS if within is None else within)
    findings += catalog_findings([locale for locale in settings.locales if locale != SOURCE_LOCALE], translations,
                                 english_revision(translations / "messages.pot"))
    findings += safety_findings(load_safety_lists(list(settings.locales), project_dir / "content" / "safety"))
    return format_findings(findings)


def shown(path: Path | str) -> str:
    """A path as the team would type it: relative to where they stand, when it is below."""
    relative = os.path.relpath(path)
    return str(path) if relative.startswith("..") else relative


def format_findings(findings: list[Finding]) -> list[str]:
    labels = {"topic": "topic", "catalog": "translation", "safety": "safety list"}
    return [f"{f.state.upper() if f.urgent else f.state}: {labels[f.kind]} {f.name}: {f.detail}" for f in findings]
