"""How many SMS segments a message costs (GSM 03.38 / UCS-2 rules).

Every reply is checked against a segment budget, and pages are cut to fit
it, so this module is the single place that knows the encoding rules. It
also spells a text in GSM-7 alone (`plain_gsm7`), for IVR_SMS_PLAIN_LOCALES.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = frozenset("^{}[]~\\|€\f")

_GSM7 = GSM7_BASIC | GSM7_EXTENDED
_NOT_GSM7 = re.compile("[^" + re.escape("".join(sorted(GSM7_BASIC | GSM7_EXTENDED))) + "]")

GSM7_SINGLE, GSM7_MULTI = 160, 153
UCS2_SINGLE, UCS2_MULTI = 70, 67


@dataclass(frozen=True)
class SegmentCount:
    encoding: str  # "GSM-7" or "UCS-2"
    units: int  # septets for GSM-7, UTF-16 code units for UCS-2
    segments: int


def is_gsm7(text: str) -> bool:
    return _NOT_GSM7.search(text) is None


def count_segments(text: str) -> SegmentCount:
    """The encoding Twilio will pick for `text` and the segments it takes."""
    if is_gsm7(text):
        units = len(text) + sum(text.count(char) for char in GSM7_EXTENDED)
        single, multi, encoding = GSM7_SINGLE, GSM7_MULTI, "GSM-7"
    else:
        units = len(text.encode("utf-16-le")) // 2
        single, multi, encoding = UCS2_SINGLE, UCS2_MULTI, "UCS-2"
    if units == 0:
        return SegmentCount(encoding, 0, 0)
    segments = 1 if units <= single else -(-units // multi)
    return SegmentCount(encoding, units, segments)


def fits(text: str, max_segments: int) -> bool:
    return count_segments(text).segments <= max_segments


# What NFKD leaves alone or spells outside GSM-7: the typographic marks and the letters
# with no accent to strip (Vietnamese đ, French œ). Everything else is NFKD minus its accents.
_TYPOGRAPHIC = {
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u2039\u203a\u02bc\u00b4`", "'"),
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"'),
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2022\u2043", "-"),
    **dict.fromkeys("\u00a0\u2007\u202f", " "),
    **dict.fromkeys("\u00ad\u200b\u2060\ufeff", ""),  # soft hyphen, zero-width spaces
    "\u2044": "/", "Đ": "D", "đ": "d", "Œ": "OE", "œ": "oe", "Ł": "L", "ł": "l", "ı": "i",
}


@lru_cache(maxsize=4096)
def _plain_char(char: str) -> str:
    if char in _TYPOGRAPHIC:
        return _TYPOGRAPHIC[char]
    if unicodedata.combining(char):
        return ""  # an accent on its own
    bare = "".join(_TYPOGRAPHIC.get(part, part) for part in unicodedata.normalize("NFKD", char)
                   if not unicodedata.combining(part))
    return bare if bare and is_gsm7(bare) else char


def plain_gsm7(text: str) -> str:
    """`text` spelled in GSM-7 where it can be: the accents GSM-7 lacks dropped, its own letters kept.

    é è ù ì ò à ä ö ü ñ Ç Å Ø Æ ß É (the GSM-7 alphabet's) stay; á -> a, ç -> c, ê -> e,
    Vietnamese ế -> e, đ -> d, œ -> oe; curly quotes, long dashes, the ellipsis and
    no-break spaces become ' " - ... and a space. Digits and signs are GSM-7 already, so
    numbers never change. A character with no such spelling (another script, an emoji)
    is kept as it is, so the result may still need UCS-2: see `plain_if_cheaper`.
    """
    return "".join(char if char in _GSM7 else _plain_char(char) for char in unicodedata.normalize("NFC", text))


def plain_if_cheaper(text: str) -> str:
    """The plain spelling of a whole message when it is all GSM-7 and costs no more segments; else `text`.

    Decided per message, because each message is encoded (and billed) on its own: a
    message that would still need UCS-2 (a language's name in its own script, an emoji)
    costs the same with or without accents, so it keeps them; one that becomes GSM-7
    takes 153 characters a segment instead of 67 and is never dearer (checked, since
    "..." and "oe" are longer than "…" and "œ").
    """
    spelled = plain_gsm7(text)
    if spelled == text or not is_gsm7(spelled):
        return text
    return spelled if count_segments(spelled).segments <= count_segments(text).segments else text


def latin_script(locale: str) -> bool:
    """Whether `locale` is written in the Latin alphabet (CLDR's likely script, through Babel)."""
    from babel.core import Locale, UnknownLocaleError, get_global

    try:
        parsed = Locale.parse(locale)
    except (ValueError, UnknownLocaleError):
        return False
    likely = str(get_global("likely_subtags").get(parsed.language, "")).split("_")
    return (parsed.script or (likely[1] if len(likely) > 2 else "")) == "Latn"
