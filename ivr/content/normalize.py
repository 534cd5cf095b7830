"""Text normalization shared by keywords and incoming messages.

Patients type on basic phones: no accents, odd case, stray punctuation,
digits from their own script. Both sides of every comparison go through
`normalize`, so "Síntomas!", "SINTOMAS" and "sintomas" are the same word.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Letters that do not decompose into base + mark but are typed without it.
_FOLD = str.maketrans({"đ": "d", "ł": "l", "ø": "o", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i"})
_SPACES = re.compile(r"\s+")
_NOT_ASCII_WORD = re.compile(r"[^a-z0-9]+")
# Scripts whose keywords match inside longer words: written without spaces (Chinese,
# Japanese, Thai) or with particles glued to nouns (Korean: 뼈가, 증상이).
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u0e00-\u0e7f\uac00-\ud7af]")


@lru_cache(maxsize=8192)
def _is_latin(char: str) -> bool:
    return "LATIN" in unicodedata.name(char, "")


@lru_cache(maxsize=8192)
def _kind(char: str) -> tuple[bool, str]:
    """(is a mark, what the character becomes): one Unicode lookup per distinct character."""
    category = unicodedata.category(char)
    if category.startswith("M"):
        return True, char
    if category == "Nd":
        return False, str(unicodedata.decimal(char))
    return False, char if category.startswith(("L", "N")) else " "


def normalize(text: str) -> str:
    """Lowercase, accent-free (for Latin letters), digits as ASCII, punctuation as spaces."""
    if text.isascii():  # most texts: the same result without the letter-by-letter walk
        return _NOT_ASCII_WORD.sub(" ", text.lower()).strip()
    text = unicodedata.normalize("NFKC", text).casefold()
    out: list[str] = []
    latin_base = False
    for char in unicodedata.normalize("NFD", text):
        mark, kept = _kind(char)
        if mark:
            # Drop accents on Latin letters only: in Devanagari or Arabic the
            # marks are part of the spelling a texter types.
            if not latin_base:
                out.append(kept)
            continue
        latin_base = _is_latin(char)
        out.append(kept)
    folded = unicodedata.normalize("NFC", "".join(out)).translate(_FOLD)
    return _SPACES.sub(" ", folded).strip()


def is_unspaced(text: str) -> bool:
    """True for text whose keywords match as substrings (Chinese, Japanese, Thai, Korean)."""
    return bool(_UNSPACED.search(text))
