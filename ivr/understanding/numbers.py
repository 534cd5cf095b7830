"""Number words a caller may say for a menu option: "two", "dos", "hai", "二".

Speech recognition often writes "2", but not always. The words come from
num2words where it knows the language; the few it does not (Chinese,
Filipino, Korean's native numbers) are listed here by hand.
"""
from __future__ import annotations

from functools import lru_cache

from ivr.understanding.fold import fold

# Korean's Sino-Korean digits (일, 이, 오...) are everyday words; only its native numbers are used.
NUM2WORDS_CODES = {"en": "en", "es": "es", "fr": "fr", "pt_BR": "pt_BR", "ru": "ru", "vi": "vi", "ar": "ar"}
BY_HAND = {
    "zh_Hans": ["一", "二", "三", "四", "五", "六", "七", "八", "九"],
    "fil": ["isa", "dalawa", "tatlo", "apat", "lima", "anim", "pito", "walo", "siyam"],
    "ko": ["하나", "둘", "셋", "넷", "다섯", "여섯", "일곱", "여덟", "아홉"],
}
EXTRA = {"zh_Hans": {"两": 2}, "en": {"won": 1, "to": 2, "too": 2, "for": 4, "ate": 8}, "ko": {"한": 1, "두": 2, "세": 3, "네": 4},
         # num2words gives Modern Standard Arabic ("اثنان", "ثلاثة"); callers also say the spoken forms
         # (compared after fold, so "تلاتة" and "تلاته" are one word)
         "ar": {"اثنين": 2, "اتنين": 2, "تنين": 2, "ثلاث": 3, "تلاتة": 3, "تلات": 3, "اربع": 4, "خمس": 5, "ست": 6,
                "سبع": 7, "تمانية": 8, "ثمان": 8, "تسع": 9}}
FILLERS = {"number", "option", "press", "numero", "opcion", "opcao", "номер", "so", "numer", "please", "por", "favor",
           "po", "plait", "svp", "пожалуйста", "ạ"}


@lru_cache(maxsize=None)
def number_words(locale: str) -> dict[str, int]:
    words: dict[str, int] = {}
    code = NUM2WORDS_CODES.get(locale)
    if code:
        from num2words import num2words

        for n in range(1, 10):
            words[fold(num2words(n, lang=code))] = n
    for n, word in enumerate(BY_HAND.get(locale, ()), start=1):
        words[fold(word)] = n
    for word, n in EXTRA.get(locale, {}).items():
        words.setdefault(fold(word), n)
    return words


def spoken_number(text: str, locale: str) -> int | None:
    """The option number in a short answer like "two", "number two", "dos por favor"; else None."""
    folded = fold(text)
    tokens = [token for token in folded.replace("번", " ").replace("号", " ").split()
              if token not in {fold(filler) for filler in FILLERS}]
    if len(tokens) != 1:
        return None
    token = tokens[0]
    if token.isdigit() and len(token) == 1:
        return int(token)
    return number_words(locale).get(token)
