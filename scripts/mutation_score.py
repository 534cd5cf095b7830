"""The mutation score of the last `make mutation`, per file and in all, from mutmut's result files.

Killed: a test failed (or the mutant timed out). Survived: every test that reaches the code passed.
No tests: no test reaches the code. The score is killed / all mutants."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from mutmut.stats import status_by_exit_code  # mutmut's own names for each exit code

CAUGHT = ("killed", "timeout")  # a test failed, or the mutant made the tests run far too long


def main() -> None:
    files: dict[str, Counter] = {}
    for meta in sorted(Path("mutants/ivr").rglob("*.py.meta")):
        codes = json.loads(meta.read_text()).get("exit_code_by_key", {})
        if not codes:
            continue
        tally = files.setdefault(str(meta.relative_to("mutants")).removesuffix(".meta"), Counter())
        for code in codes.values():
            status = status_by_exit_code[code]
            tally["killed" if status in CAUGHT else status] += 1
    total: Counter = Counter()
    for name, tally in files.items():
        total.update(tally)
        mutants = sum(tally.values())
        print(f"{name:36} {tally['killed']:5} of {mutants:5} killed ({tally['killed'] / mutants:.0%})")
    mutants = sum(total.values())
    print(f"{'all':36} {total['killed']:5} of {mutants:5} killed ({total['killed'] / max(mutants, 1):.0%}); "
          + ", ".join(f"{kind}: {count}" for kind, count in sorted(total.items()) if kind != "killed"))


if __name__ == "__main__":
    main()
