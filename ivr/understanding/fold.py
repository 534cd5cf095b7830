"""One spelling for comparing what patients type with the line's phrase lists.

Builds on `normalize` (case, accents on Latin letters, punctuation, digits) and
adds what matching needs: apostrophes join words ("can't" -> "cant"),
Arabic letter variants and diacritics fold together, Devanagari's viramas
and long vowels fold to what phones type, Traditional Chinese
becomes Simplified (OpenCC), so one list serves every way of typing.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ivr.content.normalize import normalize

_APOSTROPHES = re.compile(r"(?<=\w)['’`´‘](?=\w)")
_ARABIC_MARKS = re.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_ARABIC_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ئ": "ي",
                                 "ؤ": "و", "ک": "ك", "ی": "ي"})
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# "mri는", "ct是什么": a Latin word glued to Korean or Chinese is still a word of its own.
_SCRIPT_SEAM = re.compile(r"(?<=[a-z0-9])(?=[\u3400-\u9fff\uac00-\ud7af])|(?<=[\u3400-\u9fff\uac00-\ud7af])(?=[a-z0-9])")
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_DEVANAGARI = re.compile(r"[\u0900-\u097f]")
# Devanagari as typed on a phone: the virama and nukta left out ("आत्महतया" for आत्महत्या),
# nasal marks left out ("बाचन" for बाँच्न), a short vowel for its long form: the commonest Nepali misspellings.
_DEVANAGARI_LETTERS = str.maketrans({"\u094d": None, "\u093c": None, "\u0901": None, "\u0902": None, "\u0940": "\u093f",
                                     "\u0942": "\u0941", "\u0908": "\u0907", "\u090a": "\u0909"})


@lru_cache(maxsize=1)
def _to_simplified():
    import opencc  # OpenCC's tables: Traditional (Taiwan, Hong Kong) to Simplified

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=8192)  # one message is folded by several readers in one turn
def fold(text: str) -> str:
    """Lowercase, accent-free, apostrophes joined, Arabic and Chinese variants folded."""
    text = normalize(_APOSTROPHES.sub("", text))
    if _ARABIC.search(text):
        text = _ARABIC_MARKS.sub("", text).translate(_ARABIC_LETTERS)
    if _DEVANAGARI.search(text):
        text = text.translate(_DEVANAGARI_LETTERS)
    if _HAN.search(text):
        text = _to_simplified().convert(text)
    if text.isascii():
        return text
    return _SCRIPT_SEAM.sub(" ", text)


def squeeze(text: str) -> str:
    """Without spaces: how phrases in scripts written without them are compared."""
    return text.replace(" ", "")
