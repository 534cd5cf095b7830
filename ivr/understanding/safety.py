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
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

import yaml

from ivr.content import CONTENT_DIR
from ivr.normalize import is_unspaced
from ivr.understanding.fold import fold, squeeze
from ivr.understanding.phrases import Phrase, PhraseIndex, compile_phrase

log = logging.getLogger(__name__)
SAFETY_DIR = CONTENT_DIR / "safety"
BLOCKED = "\x01"  # stands where a guard was: no phrase can match across it


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


class SafetyError(ValueError):
    """A safety file is missing or malformed; the message names the file."""


def load_safety_lists(locales: list[str], directory: Path = SAFETY_DIR) -> list[SafetyList]:
    out = []
    for locale in locales:
        path = directory / f"{locale}.yaml"
        if not path.exists():
            raise SafetyError(f"{path}: no safety phrases for locale {locale} (copy en.yaml and translate it)")
        try:
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader) or {}  # every value a string: "no" stays "no"
        except yaml.YAMLError as exc:
            raise SafetyError(f"{path}: not valid YAML: {exc}") from None
        if not isinstance(data, dict):
            raise SafetyError(f"{path}: expected a mapping of lists")
        lists: dict[str, list[str]] = {}
        for name in LISTS:
            values = data.get(name) or []
            if not isinstance(values, list) or not all(isinstance(value, str) for value in values):
                raise SafetyError(f"{path}: '{name}' must be a list of phrases")
            lists[name] = [value.strip() for value in values if value.strip()]
        for name in ("crisis", "emergency", "person"):
            if not lists[name]:
                raise SafetyError(f"{path}: '{name}' has no phrases")
        out.append(SafetyList(locale, path, lists, data.get("review") or {}))
    return out


class SafetyCheck:
    """Looks for crisis, emergency and person phrases of every language in one message."""

    def __init__(self, lists: list[SafetyList]) -> None:
        phrases: dict[str, list[Phrase]] = {name: [] for name in ("guards", *(kind.value for kind in ORDER))}
        for safety_list in lists:
            for name in phrases:
                phrases[name] += [compile_phrase(text, safety_list.locale, name)
                                  for text in safety_list.lists[name]]
        self.guards = PhraseIndex(phrases["guards"])
        self.indexes = {kind: PhraseIndex(phrases[kind.value]) for kind in ORDER}

    @classmethod
    def load(cls, locales: list[str], directory: Path = SAFETY_DIR) -> "SafetyCheck":
        """Every enabled locale's lists; a missing file is logged here and fails `ivr check`."""
        present = [locale for locale in locales if (directory / f"{locale}.yaml").exists()]
        for locale in sorted(set(locales) - set(present)):
            log.error("no safety phrases for locale %s (content/safety/%s.yaml): run `ivr check`", locale, locale)
        return cls(load_safety_lists(present, directory))

    def check(self, text: str) -> SafetyMatch | None:
        folded = fold(text)
        if not folded:
            return None
        folded, squeezed = self._without_guards(folded)
        for kind in ORDER:
            found = self.indexes[kind].find(folded, squeezed)
            if found:
                return SafetyMatch(kind, frozenset(phrase.lang for phrase, _, _ in found))
        return None

    def explain(self, text: str) -> list[tuple[str, str, str]]:
        """(list, language, phrase as written) of every phrase found: for editors checking a list."""
        folded, squeezed = self._without_guards(fold(text))
        return [(kind.value, phrase.lang, phrase.text) for kind in ORDER
                for phrase, _, _ in self.indexes[kind].find(folded, squeezed)]

    def _without_guards(self, folded: str) -> tuple[str, str | None]:
        guards = self.guards.find(folded)
        if not guards:
            return folded, None
        words = folded.split()
        squeezed = squeeze(folded)
        for phrase, start, end in guards:
            if start >= 0:
                words[start:end] = [BLOCKED] * (end - start)
            else:
                squeezed = squeezed.replace(squeeze(" ".join(phrase.words)), BLOCKED)
        cleaned = " ".join(words)
        return cleaned, (squeezed if is_unspaced(folded) else None)
