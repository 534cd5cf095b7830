"""Which language a message is in: the script where it decides, else the catalogs' own words.

Arabic, Cyrillic, Devanagari, Hangul and Han script each belong to one of the
line's languages. Latin-script text (English, Spanish, Vietnamese without
tone marks, French, Portuguese, Filipino, Haitian Creole, Arabizi, romanised
Nepali, pinyin) is scored by the words of each language's own catalog,
keywords and safety lists: a word found in few languages counts more than one
found in many, so "mwen gen kesyon" is Creole although "gen" is also Spanish.
"""
from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable

from ivr.understanding.fold import fold

SCRIPTS = (
    (re.compile(r"[\u0600-\u06ff\u0750-\u077f]"), "ar"),
    (re.compile(r"[\u0400-\u04ff]"), "ru"),
    (re.compile(r"[\u0900-\u097f]"), "ne"),
    (re.compile(r"[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]"), "ko"),
    (re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]"), "zh_Hans"),
)
# Arabizi writes ع, ح, ء, خ, ق with digits inside Latin words: "3ilaj", "ya3ni", "ba2i", "by7okni".
# Digits at the end are left out: BRCA2, HER2, CA125 are medical names in every language.
ARABIZI = re.compile(r"^(?:[2356789][a-z]+|[a-z]+[2356789]+[a-z]+)$")
ARABIZI_WEIGHT = 1.0  # as much as a word only Arabic has
# Texting shorthand read as the words it stands for ("o q e" is Portuguese "o que é").
SHORTHAND = {"q": "que", "pq": "porque", "xq": "porque", "vc": "voce", "mto": "muito"}
VIETNAMESE_MARKS = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.IGNORECASE)


@dataclass(frozen=True)
class Guess:
    locale: str
    confidence: float  # 0..1: the share of the score the best language holds
    words: int  # how many of the message's words are known in that language


def tokens(words: list[str]) -> list[str]:
    """The words (of two letters or more) and each pair of neighbours: "ke ho" is Nepali though
    "ke" and "ho" alone are also Vietnamese or Creole."""
    return [word for word in words if len(word) > 1] + [f"{a} {b}" for a, b in zip(words, words[1:])]


class LanguageGuesser:
    def __init__(self, vocabularies: dict[str, Iterable[str]]) -> None:
        self.locales = list(vocabularies)
        self._weights: dict[str, dict[str, float]] = defaultdict(dict)  # word -> locale -> weight
        sets = {locale: {token for text in texts for token in tokens(fold(text).split())}
                for locale, texts in vocabularies.items()}
        holders: dict[str, list[str]] = defaultdict(list)
        for locale, words in sets.items():
            for word in words:
                holders[word].append(locale)
        for word, locales in holders.items():
            weight = 1.0 / len(locales) ** 1.5
            for locale in locales:
                self._weights[word][locale] = weight

    def by_script(self, text: str) -> str:
        """The line's language whose script the text is written in (Arabic, Cyrillic, Devanagari,
        Hangul, Han), or "" for Latin script, digits and signs."""
        for pattern, locale in SCRIPTS:
            if locale in self.locales and pattern.search(text):
                return locale
        return ""

    def guess(self, text: str) -> Guess | None:
        # Decided by the script (or Vietnamese tone marks): as many words as are written in it, so a
        # long sentence in Cyrillic that finds no topic is still answered in Russian, not English.
        for pattern, locale in (*SCRIPTS, (VIETNAMESE_MARKS, "vi")):
            if locale in self.locales and pattern.search(text):
                return Guess(locale, 1.0, sum(1 for word in text.split() if pattern.search(word)))
        scores: dict[str, float] = defaultdict(float)
        known: dict[str, int] = defaultdict(int)
        words = [SHORTHAND.get(word, word) for word in fold(text).split()]
        for token in tokens(words):
            for locale, weight in self._weights.get(token, {}).items():
                scores[locale] += weight
                known[locale] += " " not in token
        if "ar" in self.locales:
            for word in words:
                if ARABIZI.match(word):
                    scores["ar"] += ARABIZI_WEIGHT
                    known["ar"] += 1
        if not scores:
            return None
        # A tie goes to the language listed first (the line's default comes first).
        best = max(scores, key=lambda locale: (round(scores[locale], 6), -self.locales.index(locale)))
        total = sum(scores.values())
        return Guess(best, scores[best] / total if total else 0.0, known[best])

    @staticmethod
    def decisive(guess: Guess | None) -> bool:
        """Enough to keep the language for good: a sentence of at least three of its words."""
        return guess is not None and guess.confidence >= 0.6 and guess.words >= 3

    @staticmethod
    def margin_ok(guess: Guess | None, words: int) -> bool:
        """Clearly and confidently one language: enough of its words, and most of the score."""
        if guess is not None and guess.confidence >= 1.0 and guess.words >= 1 and words <= 2:
            return True  # decided by its script, or its only known word belongs to one language
        return guess is not None and guess.confidence >= 0.6 and guess.words >= max(2, math.ceil(words / 3))
