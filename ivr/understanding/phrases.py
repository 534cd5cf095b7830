"""Matching a message against short phrases written by people, not regexes.

A phrase is words separated by spaces, compared after `fold`:
- `*` alone stands for up to three words of any kind ("want * die");
- a word ending in `*` matches any word it starts ("suicid*");
- a word of six letters or more also matches with one typo ("suicde");
- a phrase in a script written without spaces (Chinese, Japanese, Korean,
  Thai) matches anywhere inside the message, spaces ignored;
- in languages with a Snowball stemmer, words also match by their stem, so
  "quitarme la vida" catches "me quito la vida" and "kill myself" catches
  "killing myself".
"""
from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache
from dataclasses import dataclass

from rapidfuzz.distance import OSA

from ivr.content.normalize import is_unspaced
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


RELAXED_MIN_LETTERS = 4  # inside a phrase of two words or more: "kil myslef" is "kill myself"


def _word_matches(pattern: str, word: str, relaxed: frozenset[str] | None = None) -> bool:
    """`relaxed`: the words a language really has; any other word may be a typo of a word of
    four letters or more (within a longer phrase, so "fill me in" is never "kill me")."""
    if pattern.endswith(GAP) and len(pattern) > 1:
        return word.startswith(pattern[:-1]) or _prefix_typo(pattern[:-1], word)
    if pattern == word:
        return True
    least = typo_min_letters(pattern)
    if relaxed is not None and word not in relaxed and not _ABJAD.search(pattern):
        least = RELAXED_MIN_LETTERS
    return len(pattern) >= least and len(word) >= least - 1 and OSA.distance(pattern, word, score_cutoff=1) <= 1


PREFIX_TYPO_MIN_LATIN = 8


def _prefix_typo_min(start: str) -> int:
    """Latin letters carry many languages' words (Arabizi "entahar*", suicide, is one letter from
    "entashar", it spread): a Latin word start needs eight letters to be forgiven a typo."""
    return PREFIX_TYPO_MIN_LATIN if start.isascii() else typo_min_letters(start)


def _prefix_typo(start: str, word: str) -> bool:
    """A long word start ("самоубий*", "الانتحار*") also matches a word that begins with it misspelled
    by one letter ("самоубиистве", "الانتحر"): the word's first letters, one more or one fewer."""
    if len(start) < _prefix_typo_min(start) or len(word) < len(start) - 1 or not start.isalpha():
        return False  # (Arabizi writes letters as digits: "ent7ar" is not a misspelled "entrar")
    return any(OSA.distance(start, word[:size], score_cutoff=1) <= 1 for size in (len(start) - 1, len(start),
                                                                                 len(start) + 1) if size <= len(word))


def _match_at(words: tuple[str, ...], start: int, pattern: tuple[str, ...], exact: bool = False,
              slack: bool = True, relaxed: frozenset[str] | None = None) -> int:
    """End index of `pattern` matched from `start`, or -1 (`exact`: stems, no typos)."""
    if not pattern:
        return start
    head, rest = pattern[0], pattern[1:]
    if head == GAP:
        for skip in range(MAX_GAP + 1):
            if start + skip > len(words):
                break
            end = _match_at(words, start + skip, rest, exact, relaxed=relaxed)
            if end >= 0:
                return end
        return -1
    if start < len(words):
        word = words[start]
        # (exact: stems; a phrase's short word, kept as written, also matches a long word with that
        # stem: "kill myself" catches "killing myself", whose stem is "~kill")
        same = (word.startswith(head[:-1]) if head.endswith(GAP) and len(head) > 1 else word in (head, "~" + head)) \
            if exact else _word_matches(head, word, relaxed)
        if same:
            end = _match_at(words, start + 1, rest, exact, relaxed=relaxed)
            if end < 0 and rest and rest[0] != GAP and slack:
                # One extra word between two of the phrase's words: "ang dami ng dugo" for "dami dugo".
                end = _match_at(words, start + 2, rest, exact, slack=False, relaxed=relaxed)
            return end
    return -1


STEMMED = {"en": "english", "es": "spanish", "fr": "french", "pt_BR": "portuguese", "ru": "russian",
           "ar": "arabic", "ne": "nepali"}
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_DEVANAGARI = re.compile(r"[\u0900-\u097f]")


@lru_cache(maxsize=None)
def _stemmer(lang: str):
    import snowballstemmer

    return snowballstemmer.stemmer(STEMMED[lang])


STEM_MIN_LETTERS = 5  # shorter words keep their own form: "mat" (Vietnamese) is not Spanish "matar"
STEM_MAX_LETTERS = 40  # no word is longer; a stemmer's time grows with the length of what it is given


@lru_cache(maxsize=200_000)
def stem(lang: str, word: str) -> str:
    """The word's stem in `lang` (gaps, prefixes and short words kept as written); cached: patients repeat words."""
    if word == GAP or word.endswith(GAP) or not STEM_MIN_LETTERS <= len(word) <= STEM_MAX_LETTERS:
        return word
    return "~" + _stemmer(lang).stemWord(word)  # marked: a stem never equals a short word as typed


def _stem_langs(word: str) -> tuple[str, ...]:
    """Stemmers worth trying on a word: by its script."""
    if _CYRILLIC.search(word):
        return ("ru",)
    if _ARABIC.search(word):
        return ("ar",)
    if _DEVANAGARI.search(word):
        return ("ne",)
    return ("en", "es", "fr", "pt_BR") if word.isascii() else ()


class NearWords:
    """Words one typo away from a given word, found through their one-letter deletions (symmetric
    delete): a few dictionary lookups instead of comparing the word with thousands of others."""

    def __init__(self, words) -> None:
        self._by_key: dict[str, set[str]] = defaultdict(set)
        self._longest = 0
        for word in words:
            self._longest = max(self._longest, len(word))
            for key in _deletions(word):
                self._by_key[key].add(word)

    def __bool__(self) -> bool:
        return bool(self._by_key)

    def near(self, word: str) -> list[str]:
        """Other words within one edit (a letter changed, added, dropped, or two swapped)."""
        if len(word) > self._longest + 1:
            return []  # longer than any word by more than a letter (and no cost growing with its length)
        found = set().union(*(self._by_key.get(key, ()) for key in _deletions(word)))
        return [other for other in found if other != word and OSA.distance(word, other, score_cutoff=1) <= 1]


def _deletions(word: str) -> set[str]:
    return {word} | {word[:i] + word[i + 1:] for i in range(len(word))}


class PhraseIndex:
    """Many phrases, found fast: candidates by first word (exact, prefix or one typo) or first stem."""

    def __init__(self, phrases: list[Phrase], known: frozenset[str] = frozenset(),
                 common: frozenset[str] = frozenset(), second_pass: bool = True,
                 strict: frozenset[str] = frozenset()) -> None:
        """`known`: words spelled as a language spells them; they are never read as typos of others.
        `common`: more of them (each language's commonest words): a second, looser pass forgives
        typos in shorter words of longer phrases, but never in one of these (`second_pass`: whether
        to make it). `strict`: kinds of phrase matched word after word, never with an extra word
        between two of theirs."""
        self.strict = strict
        # Lists hold the same phrase written twice ("sưng" and "sung" fold alike): index it once.
        once: dict[tuple[tuple[str, ...], str, str], Phrase] = {}
        for phrase in phrases:
            once.setdefault((phrase.words, phrase.lang, phrase.kind), phrase)
        phrases = list(once.values())
        self.phrases = phrases
        self.second_pass = second_pass
        self.known = known
        self.common = known | common
        self._by_stem: dict[str, dict[str, list[tuple[Phrase, tuple[str, ...]]]]] = defaultdict(lambda: defaultdict(list))
        for phrase in phrases:
            # Stems only for phrases of two words or more: one stem alone ("mat") is too often
            # another language's everyday word (Creole "maten", morning; Spanish "matarme").
            if phrase.lang in STEMMED and len([w for w in phrase.words if w != GAP]) >= 2 \
                    and not is_unspaced(" ".join(phrase.words)) and phrase.words[0] != GAP:
                stems = tuple(stem(phrase.lang, word) for word in phrase.words)
                self._by_stem[phrase.lang][stems[0]].append((phrase, stems))
        self._by_first: dict[str, list[Phrase]] = defaultdict(list)
        self._prefixed: dict[str, list[Phrase]] = defaultdict(list)  # "suicid" -> phrases starting "suicid*"
        self._unspaced: list[tuple[str, Phrase]] = []
        for phrase in phrases:
            if not phrase.words:
                continue
            first = phrase.words[0]
            if is_unspaced(" ".join(phrase.words)):
                self._unspaced.append((squeeze(" ".join(phrase.words)), phrase))
            elif first.endswith(GAP):
                self._prefixed[first[:-1]].append(phrase)
            else:
                self._by_first[first].append(phrase)
        self._long_firsts = NearWords(word for word in self._by_first if len(word) >= typo_min_letters(word))
        self._longest_prefix = max(map(len, self._prefixed), default=0)  # a word's start is looked up to here
        self._long_prefixes = NearWords(start for start in self._prefixed
                                        if len(start) >= _prefix_typo_min(start) and start.isalpha())
        self._phrase_firsts = NearWords(phrase.words[0] for phrase in phrases if _relaxable(phrase)
                                        and len(phrase.words[0]) >= RELAXED_MIN_LETTERS)
        # The words a phrase cannot match by a typo must be in the message as they are: a set test
        # that skips most candidates before the word-by-word match (lists hold thousands of phrases).
        self._relaxable_by_first: dict[str, list[Phrase]] = defaultdict(list)
        for phrase in phrases:
            if phrase.words and _relaxable(phrase):
                self._relaxable_by_first[phrase.words[0]].append(phrase)
        self._relaxable_words = NearWords(word for phrase in phrases if _relaxable(phrase) for word in phrase.words
                                          if word != GAP and not word.endswith(GAP) and len(word) >= RELAXED_MIN_LETTERS)
        self._all_words = {id(phrase): frozenset(word for word in phrase.words if word != GAP and not word.endswith(GAP))
                           for phrase in phrases}
        self._needs = {id(phrase): (_exact_words(phrase, typo_min_letters), _exact_words(phrase, _relaxed_min),
                                    _exact_words(phrase, lambda word: STEM_MIN_LETTERS)) for phrase in phrases}

    def find(self, folded: str, squeezed: str | None = None) -> list[tuple[Phrase, int, int]]:
        """Every (phrase, start word, end word) found in already folded text.

        `squeezed` replaces the spaceless text unspaced phrases are looked for in.
        """
        words = tuple(folded.split())
        present = set(words)
        found: list[tuple[Phrase, int, int]] = []
        stemmed: dict[str, tuple[str, ...]] = {}
        roots: dict[str, set[str]] = {}  # the message's words and the stems of its long words
        for start, word in enumerate(words):
            candidates = list(self._by_first.get(word, ()))
            if len(word) >= TYPO_MIN_LETTERS - 1 and self._long_firsts and word not in self.known:
                for near in self._long_firsts.near(word):
                    candidates.extend(self._by_first[near])
            for size in range(1, min(len(word), self._longest_prefix) + 1) if self._prefixed else ():
                candidates.extend(self._prefixed.get(word[:size], ()))
            if len(word) >= TYPO_MIN_LETTERS - 1 and self._long_prefixes and word not in self.known:
                # A long word start misspelled: "самоубиистве" for "самоубий*".
                for size in range(TYPO_MIN_LETTERS - 1, min(len(word), self._longest_prefix + 1) + 1):
                    for near in self._long_prefixes.near(word[:size]):
                        candidates.extend(self._prefixed[near])
            seen = set()
            for phrase in candidates:
                if not self._needs[id(phrase)][0] <= present:
                    continue
                end = _match_at(words, start, phrase.words, slack=phrase.kind not in self.strict)
                if end >= 0:
                    found.append((phrase, start, end))
                    seen.add(id(phrase))
            for lang in _stem_langs(word) if self._by_stem else ():
                table = self._by_stem.get(lang)
                if not table:
                    continue
                first = stem(lang, word)
                short = table.get(first[1:], ()) if first.startswith("~") else ()  # "killing": "kill myself"
                for phrase, stems in (*table.get(first, ()), *short):
                    if id(phrase) in seen:
                        continue
                    if lang not in stemmed:
                        stemmed[lang] = tuple(stem(lang, w) for w in words)
                        roots[lang] = present | {s[1:] for s in stemmed[lang] if s.startswith("~")}
                    if not self._needs[id(phrase)][2] <= roots[lang]:
                        continue
                    end = _match_at(stemmed[lang], start, stems, exact=True, slack=phrase.kind not in self.strict)
                    if end >= 0:
                        found.append((phrase, start, end))
                        seen.add(id(phrase))
        if not found and self.second_pass and not present <= self.common:  # a typo: a word no language has
            found = self._relaxed(words, present)
        if self._unspaced and is_unspaced(folded):
            squeezed = squeeze(folded) if squeezed is None else squeezed
            for key, phrase in self._unspaced:
                position = squeezed.find(key)
                if position >= 0:
                    found.append((phrase, -1 - position, -1 - position - len(key)))
        return found


    def _relaxed(self, words: tuple[str, ...], present: set[str]) -> list[tuple[Phrase, int, int]]:
        """Nothing found: once more, forgiving one typo in each phrase word of four letters or more
        where the message has a word no language has ("i wnat to kil myslef"), in phrases of two
        words or more. A real word ("fill me in", "will") is never read as a typo this way."""
        found: list[tuple[Phrase, int, int]] = []
        # Every word of a phrase must be in the message, or one typo away from a word no language has.
        reachable = set(present)
        for word in present - self.common:
            reachable.update(self._relaxable_words.near(word))
        for start, word in enumerate(words):
            candidates = list(self._relaxable_by_first.get(word, ()))
            if word not in self.common and len(word) >= RELAXED_MIN_LETTERS - 1:
                for near in self._phrase_firsts.near(word):
                    candidates.extend(self._relaxable_by_first.get(near, ()))
            for phrase in candidates:
                if not self._all_words[id(phrase)] <= reachable:
                    continue
                end = _match_at(words, start, phrase.words, relaxed=self.common,
                                slack=phrase.kind not in self.strict)
                if end >= 0:
                    found.append((phrase, start, end))
        return found


def _relaxed_min(word: str) -> int:
    return RELAXED_MIN_LETTERS if not _ABJAD.search(word) else typo_min_letters(word)


def _exact_words(phrase: Phrase, least) -> frozenset[str]:
    """The phrase's words too short for a typo (by `least`), which the message must hold as they are."""
    return frozenset(word for word in phrase.words if word != GAP and not word.endswith(GAP) and len(word) < least(word))


def _relaxable(phrase: Phrase) -> bool:
    """Phrases of two real words or more, written with spaces."""
    return len([word for word in phrase.words if word != GAP]) >= 2 and not is_unspaced(" ".join(phrase.words))


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


def span(start: int, end: int) -> tuple[str, int, int]:
    """Word positions, or (for unspaced scripts) character positions in the text without spaces."""
    return ("words", start, end) if start >= 0 else ("chars", -1 - start, -1 - end)


def overlaps(one: tuple[str, int, int], other: tuple[str, int, int]) -> bool:
    return one[0] == other[0] and one[1] < other[2] and other[1] < one[2]
