"""How many SMS segments a message costs (GSM 03.38 / UCS-2 rules).

Every reply is checked against a segment budget, and pages are cut to fit
it, so this module is the single place that knows the encoding rules.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = frozenset("^{}[]~\\|€\f")

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
