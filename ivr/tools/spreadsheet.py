"""Translations as a spreadsheet and back: for teams and agencies who work in Excel.

`ivr translations export --lang es --format xlsx -o es.xlsx` writes one row per
entry: context, English, the previous English when it changed, the
translation, the status (done, changed, missing) and the SMS budget left.
`ivr translations import es.xlsx` checks every row (placeholders kept, plural
forms, the SMS and voice budgets, keyword clashes) on a copy of the catalogs,
refuses with row numbers what is wrong, and otherwise writes the PO file.
"""
from __future__ import annotations

import csv
import json
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from babel.messages.pofile import read_po, write_po

from ivr.i18n import TRANSLATIONS_DIR, po_path, previous_english
from ivr.render.segments import count_segments

COLUMNS = ("context", "english", "previous english", "translation", "status", "sms budget left")
PLURAL_SEPARATOR = "\n||\n"  # between plural forms, in one cell
UNITS = {"GSM-7": (160, 153), "UCS-2": (70, 67)}


@dataclass
class Row:
    number: int  # the spreadsheet's row number (the header is row 1)
    context: str
    english: str
    translation: str
    key: str = ""  # JSON files: "context|English", in place of the two columns


def _text(value) -> str:
    return PLURAL_SEPARATOR.join(value) if isinstance(value, (tuple, list)) else (value or "")


def budget_left(context: str, translation: str, max_segments: int = 3) -> str:
    """SMS units left for this text inside the budget ("paged" for topic texts, which are cut into pages)."""
    if context.endswith("|text"):
        return "paged"
    if not translation:
        return ""
    count = count_segments(translation)
    single, multi = UNITS[count.encoding]
    return str((single if max_segments == 1 else multi * max_segments) - count.units)


def export_rows(locale: str, directory: Path = TRANSLATIONS_DIR) -> list[list[str]]:
    path = po_path(locale, directory)
    lines = path.read_text(encoding="utf-8").split("\n")
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    rows = [list(COLUMNS)]
    for message in catalog:
        if not message.id:
            continue
        translation = _text(message.string)
        empty = not translation.replace(PLURAL_SEPARATOR, "").strip()
        status = "missing" if empty else "changed" if message.fuzzy else "done"
        previous = previous_english(lines, message.lineno or 0) if message.fuzzy else ""
        rows.append([message.context or "", _text(message.id), previous, translation, status,
                     budget_left(message.context or "", translation)])
    return rows


def export(locale: str, fmt: str, out: Path, directory: Path = TRANSLATIONS_DIR) -> int:
    rows = export_rows(locale, directory)
    if fmt == "csv":
        with out.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows(rows)
    else:
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Font

        book = Workbook()
        sheet = book.active
        sheet.title = locale
        for row in rows:
            sheet.append(row)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for column, width in zip("ABCDEF", (28, 60, 60, 60, 10, 10)):
            sheet.column_dimensions[column].width = width
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.freeze_panes = "A2"
        book.save(out)
    return len(rows) - 1


def read_rows(path: Path) -> list[Row]:
    """The rows of an XLSX or CSV file as exported, or of a JSON file of {"context|English": translation}
    (a list of forms for a plural entry) for translators who work outside spreadsheets."""
    if path.suffix.lower() == ".json":
        try:
            answers = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}: not valid JSON ({exc})") from None
        if not isinstance(answers, dict):
            raise ValueError(f'{path}: expected an object like {{"context|English": "translation"}}')
        # Contexts hold a "|" themselves ("symptoms.bone|text"): the key is matched whole, on import.
        return [Row(number, "", "", PLURAL_SEPARATOR.join(value) if isinstance(value, list) else str(value), key)
                for number, (key, value) in enumerate(answers.items(), start=1)]
    if path.suffix.lower() == ".csv":
        with path.open(encoding="utf-8", newline="") as handle:
            table = list(csv.reader(handle))
    else:
        from openpyxl import load_workbook

        sheet = load_workbook(path, read_only=True).active
        table = [["" if cell is None else str(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]
    if not table or [name.strip().lower() for name in table[0][:4]] != list(COLUMNS[:4]):
        raise ValueError(f"{path}: the first row must be the column names {', '.join(COLUMNS[:4])}")
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        padded = [*cells, "", "", "", ""]
        if any(cells):
            rows.append(Row(number, padded[0], padded[1], padded[3]))
    return rows


def locale_of(path: Path, rows: list[Row]) -> str:
    """The locale a file is for: its name (es.xlsx, translations-es.csv) or its sheet's name."""
    stem = path.stem.split("-")[-1].split(".")[0]
    if po_path(stem).exists():
        return stem
    if path.suffix.lower() != ".csv":
        from openpyxl import load_workbook

        title = load_workbook(path, read_only=True).active.title
        if po_path(title).exists():
            return title
    raise ValueError(f"{path}: cannot tell the language: name the file after it, like es.xlsx")


def import_file(path: Path, locale: str, project_dir: Path, settings) -> list[str]:
    """Check every row and write the catalog; returns the problems (nothing written if any)."""
    from ivr.tools.checks import copy_project, placeholder_problem, run_checks

    rows = read_rows(path)
    target = po_path(locale, project_dir / "translations")
    with target.open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    entries = {(message.context or "", _text(message.id)): message for message in catalog if message.id}
    keyed = {f"{context}|{english}": (context, english) for context, english in entries}
    rows = [replace(row, context=keyed[row.key][0], english=keyed[row.key][1]) if row.key in keyed else row
            for row in rows]
    problems: list[str] = []
    changed: dict[int, Row] = {}
    for row in rows:
        message = entries.get((row.context, row.english))
        if message is None:
            problems.append(f"entry {row.key!r}: not in the catalog (is the English exactly as in the .pot?)"
                            if row.key else f"row {row.number}: no entry [{row.context}] with this English "
                                            f"(was the English edited in the spreadsheet? export again)")
            continue
        if not row.translation.strip():
            continue
        if isinstance(message.id, (tuple, list)):
            forms = row.translation.split(PLURAL_SEPARATOR.strip())
            forms = [form.strip("\n") for form in forms]
            if len(forms) != catalog.num_plurals:
                problems.append(f"row {row.number}: [{row.context}] needs {catalog.num_plurals} plural forms "
                                f"separated by a line with ||, found {len(forms)}")
                continue
            strings = forms
        else:
            strings = [row.translation]
        problem = placeholder_problem(list(message.id) if isinstance(message.id, (tuple, list)) else [message.id],
                                      strings)
        if problem:
            problems.append(f"row {row.number}: [{row.context}] {problem}")
            continue
        message.string = tuple(strings) if isinstance(message.id, (tuple, list)) else strings[0]
        message.flags.discard("fuzzy")
        message.previous_id = []
        changed[row.number] = row
    if problems:
        return problems
    # The budgets and keyword rules are checked on a copy, exactly as `ivr check` checks the real files.
    with tempfile.TemporaryDirectory() as scratch:
        copy = copy_project(project_dir, Path(scratch))
        with po_path(locale, copy / "translations").open("wb") as handle:
            write_po(handle, catalog, width=76, include_previous=True, ignore_obsolete=True)
        after = [problem for problem in run_checks(settings, copy)
                 if f"/{locale}/" in problem or problem.startswith(f"{locale}:") or f"[{locale}]" in problem]
    if after:
        return [f"{_rows_for(problem, changed)}{problem}" for problem in after]
    with target.open("wb") as handle:
        write_po(handle, catalog, width=76, include_previous=True, ignore_obsolete=True)
    return []


def _rows_for(problem: str, changed: dict[int, Row]) -> str:
    numbers = [str(number) for number, row in changed.items()
               if f"[{row.context}]" in problem or (row.context.endswith("|keywords") and any(
                   f"'{word.strip()}'" in problem for word in row.translation.split(",") if word.strip()))]
    return f"row {', '.join(numbers)}: " if numbers else "after import: "
