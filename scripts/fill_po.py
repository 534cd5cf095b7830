"""Fill or fix entries of one PO catalog from a JSON file of {"context|msgid": msgstr}.

Plural entries are keyed by their singular msgid and take a list of forms.

For translators working outside a PO editor: `python scripts/fill_po.py es answers.json`.
Filled entries lose their fuzzy flag; unknown keys are reported, not added.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po


def main(locale: str, answers_path: str) -> int:
    path = Path("translations") / locale / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    answers: dict[str, str] = json.loads(Path(answers_path).read_text(encoding="utf-8"))
    used = set()
    for message in catalog:
        if not message.id:
            continue
        msgid = message.id[0] if isinstance(message.id, (tuple, list)) else message.id
        key = f"{message.context or ''}|{msgid}"
        if key in answers:
            answer = answers[key]  # a list gives the plural forms, in the locale's order
            message.string = tuple(answer) if isinstance(answer, list) else answer
            message.flags.discard("fuzzy")
            used.add(key)
    for key in sorted(set(answers) - used):
        print(f"not in the catalog: {key}", file=sys.stderr)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=76)
    print(f"{len(used)} entries written to {path}")
    return 0 if used == set(answers) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
