"""Matching a message against short phrases written by people, not regexes.

A phrase is words separated by spaces, compared after `fold`:
- `*` alone stands for up to three words of any kind ("want * die");
- a word ending in `*` matches any word it starts ("suicid*");
- a word of six letters or more also matches with one typo ("suicde");
- a phrase in a script written without spaces (Chinese, Japanese, Korean,
  Thai) matches anywhere inside the message, spaces ignored.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from rapidfuzz.distance import OSA
from rapidfuzz.process import extract

from ivr.normalize import is_unspaced
from ivr.understanding.fold import fold, squeeze

GAP = "*"
MAX_GAP = 3
TYPO_MIN_LETTERS = 6
TYPO_MIN_LETTERS_ABJAD = 8
_ABJAD = re.compile(r"[\u0600-\u06ff\u0900-\u097f]")


@dataclass(frozen=True)
class Phrase:
    text: str  # as written in the list
    words: tuple[str, ...]  # folded
    lang: str
    kind: str


def typo_min_letters(word: str) -> int:
    """Arabic and Devanagari words differ by one letter far more often (الممرض, the nurse; المرض, the disease)."""
    return TYPO_MIN_LETTERS_ABJAD if _ABJAD.search(word) else TYPO_MIN_LETTERS


def _word_matches(pattern: str, word: str) -> bool:
    if pattern.endswith(GAP) and len(pattern) > 1:
        return word.startswith(pattern[:-1])
    if pattern == word:
        return True
    least = typo_min_letters(pattern)
    return len(pattern) >= least and len(word) >= least - 1 and OSA.distance(pattern, word, score_cutoff=1) <= 1


def _match_at(words: tuple[str, ...], start: int, pattern: tuple[str, ...]) -> int:
    """End index of `pattern` matched from `start`, or -1."""
    if not pattern:
        return start
    head, rest = pattern[0], pattern[1:]
    if head == GAP:
        for skip in range(MAX_GAP + 1):
            if start + skip > len(words):
                break
            end = _match_at(words, start + skip, rest)
            if end >= 0:
                return end
        return -1
    if start < len(words) and _word_matches(head, words[start]):
        return _match_at(words, start + 1, rest)
    return -1


class PhraseIndex:
    """Many phrases, found fast: candidates by first word (exact, prefix or one typo)."""

    def __init__(self, phrases: list[Phrase]) -> None:
        self.phrases = phrases
        self._by_first: dict[str, list[Phrase]] = defaultdict(list)
        self._prefixed: list[Phrase] = []
        self._unspaced: list[tuple[str, Phrase]] = []
        for phrase in phrases:
            if not phrase.words:
                continue
            first = phrase.words[0]
            if is_unspaced(" ".join(phrase.words)):
                self._unspaced.append((squeeze(" ".join(phrase.words)), phrase))
            elif first.endswith(GAP):
                self._prefixed.append(phrase)
            else:
                self._by_first[first].append(phrase)
        self._long_firsts = [word for word in self._by_first if len(word) >= typo_min_letters(word)]

    def find(self, folded: str, squeezed: str | None = None) -> list[tuple[Phrase, int, int]]:
        """Every (phrase, start word, end word) found in already folded text.

        `squeezed` replaces the spaceless text unspaced phrases are looked for in.
        """
        words = tuple(folded.split())
        found: list[tuple[Phrase, int, int]] = []
        for start, word in enumerate(words):
            candidates = list(self._by_first.get(word, ()))
            if len(word) >= TYPO_MIN_LETTERS - 1 and self._long_firsts:
                for near, _, _ in extract(word, self._long_firsts, scorer=OSA.distance, score_cutoff=1,
                                          limit=None):
                    if near != word:
                        candidates.extend(self._by_first[near])
            candidates.extend(p for p in self._prefixed if word.startswith(p.words[0][:-1]))
            for phrase in candidates:
                end = _match_at(words, start, phrase.words)
                if end >= 0:
                    found.append((phrase, start, end))
        if self._unspaced and is_unspaced(folded):
            squeezed = squeeze(folded) if squeezed is None else squeezed
            for key, phrase in self._unspaced:
                position = squeezed.find(key)
                if position >= 0:
                    found.append((phrase, -1 - position, -1 - position - len(key)))
        return found


def compile_phrase(text: str, lang: str, kind: str) -> Phrase:
    words: list[str] = []
    for raw in text.split():
        if raw == GAP:
            words.append(GAP)
        elif raw.endswith(GAP):
            stem = fold(raw[:-1]).split()
            words.extend(stem[:-1] + [stem[-1] + GAP] if stem else [])
        else:
            words.extend(fold(raw).split())
    return Phrase(text, tuple(words), lang, kind)
