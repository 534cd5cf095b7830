"""Crisis, emergency and "a person, please": found on the whole message, in every language.

The phrase lists are content (content/safety/<locale>.yaml), written for each
community as people type, and reviewed by a clinician. Guards come first:
idioms and calm questions that share words ("dying to know", "skilled
nursing") are taken out of the message before anything else is looked for.
Every list of every language is searched, so a crisis is caught on the first
text of a new phone, whatever its language and whatever menu it is in.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

import yaml

from ivr.content import CONTENT_DIR
from ivr.understanding.fold import fold
from ivr.understanding.phrases import Phrase, PhraseIndex, compile_phrase, overlaps, span
from ivr.understanding.signals import CRISIS_PAIRS, GROUPS, PAIRS, Signals, group_of, is_emergency

log = logging.getLogger(__name__)
BASE_LOADER = getattr(yaml, "CBaseLoader", yaml.BaseLoader)  # libyaml when PyYAML has it: ten times faster
SAFETY_DIR = CONTENT_DIR / "safety"


class Safety(str, Enum):
    CRISIS = "crisis"
    EMERGENCY = "emergency"
    PERSON = "person"


ORDER = (Safety.CRISIS, Safety.EMERGENCY, Safety.PERSON)  # the first found decides
LISTS = ("crisis", "emergency", "person", "guards", "everyday")


@dataclass(frozen=True)
class SafetyMatch:
    kind: Safety
    langs: frozenset[str]  # the languages whose phrases matched

    def lang(self, preferred: str) -> str:
        """The language to answer in: `preferred` if it matched, else the matched one."""
        return preferred if preferred in self.langs or not self.langs else sorted(self.langs)[0]


@dataclass(frozen=True)
class SafetyList:
    """One language's file, as written."""

    locale: str
    path: Path
    lists: dict[str, list[str]]
    review: dict
    signals: dict[str, list[str]] = field(default_factory=dict)  # group -> entries (ivr.understanding.signals)


class SafetyError(ValueError):
    """A safety file is missing or malformed; the message names the file."""


def load_safety_lists(locales: list[str], directory: Path = SAFETY_DIR) -> list[SafetyList]:
    out = []
    for locale in locales:
        path = directory / f"{locale}.yaml"
        if not path.exists():
            raise SafetyError(f"{path}: no safety phrases for locale {locale} (copy en.yaml and translate it)")
        try:
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=BASE_LOADER) or {}  # every value a string: "no" stays "no"
        except yaml.YAMLError as exc:
            raise SafetyError(f"{path}: not valid YAML: {exc}") from None
        if not isinstance(data, dict):
            raise SafetyError(f"{path}: expected a mapping of lists")
        lists = {name: _phrases(path, f"'{name}'", data.get(name)) for name in LISTS}
        for name in ("crisis", "emergency", "person"):
            if not lists[name]:
                raise SafetyError(f"{path}: '{name}' has no phrases")
        out.append(SafetyList(locale, path, lists, data.get("review") or {}, _signals(path, data.get("signals"))))
    return out


def _phrases(path: Path, what: str, values: object) -> list[str]:
    """One list of phrases as written, blanks dropped; `what` names it in the error."""
    values = values or []
    if not isinstance(values, list) or not all(isinstance(value, str) for value in values):
        raise SafetyError(f"{path}: {what} must be a list of phrases")
    return [value.strip() for value in values if value.strip()]


def _signals(path: Path, data: object) -> dict[str, list[str]]:
    if data in (None, ""):
        return {}
    if not isinstance(data, dict) or set(data) - set(GROUPS):
        raise SafetyError(f"{path}: 'signals' must map groups ({', '.join(GROUPS)}) to lists of phrases")
    return {group: _phrases(path, f"signals '{group}'", values) for group, values in data.items()}


def available_lists(enabled: list[str], directory: Path = SAFETY_DIR) -> list[SafetyList]:
    """Every language's lists, enabled or not (a Vietnamese crisis is caught on a line that does not
    offer Vietnamese); an enabled language without a file is logged here and fails `ivr check`."""
    present = sorted(path.stem for path in directory.glob("*.yaml"))
    for locale in sorted(set(enabled) - set(present)):
        log.error("no safety phrases for locale %s (content/safety/%s.yaml): run `ivr check`", locale, locale)
    return load_safety_lists(present, directory)


class SafetyCheck:
    """Looks for crisis, emergency and person phrases of every language in one message."""

    def __init__(self, lists: list[SafetyList], known: frozenset[str] = frozenset(),
                 common: frozenset[str] = frozenset()) -> None:
        """`known`: real words of the languages (the catalogs' own): typos are looked for only in others;
        `common`: each language's commonest words, never read as typos of shorter phrase words."""
        phrases: list[Phrase] = []
        for safety_list in lists:
            for name in ("guards", *(kind.value for kind in ORDER)):
                phrases += [compile_phrase(text, safety_list.locale, name) for text in safety_list.lists[name]]
        # Phrase words are known too: a message word equal to one is found exactly, not as a typo.
        known = known | {word for phrase in phrases for word in phrase.words}
        # One pass over the message finds every list's phrases. A guard is an exact wording: with an
        # extra word allowed inside, "no me quiero morir" (calm) would hide "no aguanto, me quiero morir".
        self.index = PhraseIndex(phrases, known, common, strict=frozenset({"guards"}))
        self.signals = Signals({item.locale: item.signals for item in lists if item.signals}, known, common)

    @classmethod
    def load(cls, locales: list[str], directory: Path = SAFETY_DIR,
             known: frozenset[str] = frozenset()) -> "SafetyCheck":
        return cls(available_lists(locales, directory), known)

    def check(self, text: str) -> SafetyMatch | None:
        found = self._found(text)
        for kind in ORDER:
            langs = frozenset(phrase.lang for phrase in found if phrase.kind == kind.value)
            if langs:
                return SafetyMatch(kind, langs)
        return None

    def explain(self, text: str) -> list[tuple[str, str, str]]:
        """(list, language, phrase as written) of every phrase found: for editors checking a list.
        A pair of signals shows as crisis, "self_harm: morirme + intent: ya lo decidi"."""
        return [(phrase.kind, phrase.lang, phrase.text) for phrase in self._found(text)]

    def _found(self, text: str) -> list[Phrase]:
        """Phrases found outside every guard: a guard's words never count for anything else.
        Signals are paired only when no list found a crisis (and emergency pairs only when none
        found an emergency either)."""
        folded = fold(text)
        if not folded:
            return []
        matches = self.index.find(folded)
        guarded = [span(start, end) for phrase, start, end in matches if phrase.kind == "guards"]

        def outside(start: int, end: int) -> bool:
            return not any(overlaps(span(start, end), guard) for guard in guarded)

        found = [phrase for phrase, start, end in matches if phrase.kind != "guards" and outside(start, end)]
        kinds = {phrase.kind for phrase in found}
        if self.signals and Safety.CRISIS.value not in kinds:
            wanted = CRISIS_PAIRS if Safety.EMERGENCY.value in kinds else PAIRS
            for one, other in self.signals.find(folded, outside, wanted):
                kind = Safety.EMERGENCY if is_emergency(one, other) else Safety.CRISIS
                found.append(Phrase(f"{group_of(one)}: {one.text} + {group_of(other)}: {other.text}", (), one.lang,
                                    kind.value))
        return found

