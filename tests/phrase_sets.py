"""The independent phrase sets in tests/phrases/: written as patients type, not from the line's lists.

Each file was written, one language at a time, by someone who saw only the
topics' English text, never the catalogs or the safety lists; so a pass here
says something about how the line understands people, not about its own data.
A second set per language (phrases/holdout/) was written the same way later
and measured blind first (README, Safety), then a third (round3/) and a
fourth (round4/), a fifth (round5/, whose misses the crisis signals were
not written from), a sixth (round6/, reviewed by a second writer) and a
seventh (round7/: longer stories, speech-to-text style, veiled crises), each
measured blind before the lists and keywords were extended from what it
missed; the tests play all seven.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

HERE = Path(__file__).parent / "phrases"
SETS = (HERE, HERE / "holdout", HERE / "round3", HERE / "round4", HERE / "round5", HERE / "round6", HERE / "round7")
LOCALES = ("en", "es", "zh_Hans", "vi", "ar", "ru", "ko", "fr", "pt_BR", "fil", "ht", "ne")
SPOKEN = ("en", "es", "zh_Hans", "vi", "ar", "ru", "ko", "fr", "pt_BR", "fil")


@lru_cache(maxsize=None)
def phrase_set(locale: str) -> dict:
    """Both sets of a language, each section's phrases one after the other."""
    merged: dict = {}
    for folder in SETS:
        for section, items in yaml.safe_load((folder / f"{locale}.yaml").read_text(encoding="utf-8")).items():
            merged[section] = [*merged.get(section, []), *items] if isinstance(items, list) else items
    return merged


def phrases(locale: str, section: str) -> list[str]:
    return [str(item) for item in phrase_set(locale)[section]]


def questions(locale: str) -> list[tuple[str, str]]:
    return [(str(item["text"]), str(item["topic"])) for item in phrase_set(locale)["questions"]]
