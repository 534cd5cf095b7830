"""Golden conversation scripts: texts in, the replies a patient must see out.

A script is a text file:
    # comment
    > MENU                   the patient sends "MENU"
    < 2 Symptoms             the reply contains this text
    <! English               the reply does not contain this text
    <<                       the reply is empty (nothing is sent)
    <hangup>                 (calls) the line hangs up
Call scripts send actions instead of texts: dial, press 2, say bone pain, wait.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).parent / "transcripts"


@dataclass
class Step:
    send: str
    line: int
    expect: list[str] = field(default_factory=list)
    refuse: list[str] = field(default_factory=list)
    silent: bool = False
    hangup: bool = False


def parse(path: Path) -> list[Step]:
    steps: list[Step] = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.rstrip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("> ") or line == ">":
            steps.append(Step(send=line[2:], line=number))
            continue
        if not steps:
            raise ValueError(f"{path.name}:{number}: an expectation before any '>' line")
        if line == "<<":
            steps[-1].silent = True
        elif line == "<hangup>":
            steps[-1].hangup = True
        elif line.startswith("<! "):
            steps[-1].refuse.append(line[3:])
        elif line.startswith("< "):
            steps[-1].expect.append(line[2:])
        else:
            raise ValueError(f"{path.name}:{number}: cannot read {line!r}")
    return steps


def scripts(pattern: str = "*.txt") -> list[Path]:
    return sorted(HERE.glob(pattern))
