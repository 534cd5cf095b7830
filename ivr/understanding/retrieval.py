"""Finding the page a sentence is about by the words of the pages themselves.

Keywords are what translators list; the pages' own text (title, body,
keywords) holds many more of the words patients use ("itchy skin", "throwing
up", "yellow eyes"). Each language's pages are indexed by word stems
(Snowball stemmers where they exist; character pairs for Chinese and Korean),
and a message scores a page by the rare stems they share (inverse document
frequency, with each language's most frequent words left out). This breaks
ties and finds a topic when no keyword matched; keywords still decide first.
"""
from __future__ import annotations

import math
import re
from collections import defaultdict
from functools import lru_cache
from typing import Iterable

from ivr.understanding.fold import fold

STEMMERS = {"en": "english", "es": "spanish", "fr": "french", "pt_BR": "portuguese", "ru": "russian",
            "ar": "arabic", "ne": "nepali"}
UNSPACED = ("zh_Hans", "ko")
_SCRIPT_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]+")
MIN_STEM = 3


@lru_cache(maxsize=None)
def _stemmer(locale: str):
    name = STEMMERS.get(locale)
    if name is None:
        return None
    import snowballstemmer

    return snowballstemmer.stemmer(name)


def terms(text: str, locale: str, stop: frozenset[str] = frozenset()) -> set[str]:
    """The stems (or character pairs) of a text, without the language's most frequent words."""
    folded = fold(text)
    found: set[str] = set()
    for run in _SCRIPT_RUN.findall(folded.replace(" ", "")) if locale in UNSPACED else ():
        found.update(_run_pairs(run) - stop)
        if len(run) == 1:
            found.add(run)
    stemmable = locale in STEMMERS
    for word in folded.split():
        if word in stop or len(word) < MIN_STEM or _SCRIPT_RUN.fullmatch(word):
            continue
        found.add(_stem(locale, word) if stemmable else word)
    return found


def _run_pairs(run: str) -> set[str]:
    return {run[i:i + 2] for i in range(len(run) - 1)}


def _pairs(text: str) -> set[str]:
    return set().union(*map(_run_pairs, _SCRIPT_RUN.findall(text.replace(" ", ""))))


@lru_cache(maxsize=200_000)
def _stem(locale: str, word: str) -> str:
    return _stemmer(locale).stemWord(word)


class PageIndex:
    """One language's pages, by term: which pages hold it, and how telling it is."""

    def __init__(self, locale: str, pages: dict[str, str], stop: Iterable[str] = ()) -> None:
        self.locale = locale
        # Chinese and Korean are read by character pairs: an everyday word's pairs ("안돼요", no
        # good) say nothing about a page either, though a keyword ("전이돼요") holds them.
        self.stop = frozenset(stop) | frozenset(pair for word in stop if locale in UNSPACED
                                                for pair in _pairs(fold(word)))
        self.pages = {node_id: terms(text, locale, self.stop) for node_id, text in pages.items()}
        holders: dict[str, set[str]] = defaultdict(set)
        for node_id, page_terms in self.pages.items():
            for term in page_terms:
                holders[term].add(node_id)
        count = max(1, len(self.pages))
        self.holders = holders
        self.idf = {term: math.log(count / len(nodes)) for term, nodes in holders.items()}

    def scores(self, text: str) -> dict[str, float]:
        """{node id: score} for the pages sharing telling terms with `text`."""
        out: dict[str, float] = defaultdict(float)
        for term in terms(text, self.locale, self.stop):
            weight = self.idf.get(term, 0.0)
            if weight < 1.0:  # on more than a third of the pages: says nothing
                continue
            for node_id in self.holders[term]:
                out[node_id] += weight
        return dict(out)
